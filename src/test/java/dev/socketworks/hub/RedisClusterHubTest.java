package dev.socketworks.hub;

import dev.socketworks.testing.Concurrently;
import dev.socketworks.testing.LocalRedis;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role contracts on a Redis Cluster of three masters (Debian's redis-server, made with
 * {@code redis-cli --cluster create}): each script touches one topic's keys under one hash tag, so
 * it runs on that topic's slot; publications reach subscribers through any node.
 */
class RedisClusterHubTest extends RedisContract {

    /** The role contracts, each on a hub of this engine. */
    interface OnRedisCluster extends Engine {
        @Override
        default Hub connect(String node, String prefix) {
            return RedisContract.connect(LocalRedis.clusterUri(), node, prefix);
        }
    }

    @Nested
    class LogRole extends LogContract implements OnRedisCluster {
    }

    @Nested
    class PresenceRole extends PresenceContract implements OnRedisCluster {
    }

    @Nested
    class CounterRole extends CounterContract implements OnRedisCluster {
    }

    @Nested
    class LeaseRole extends LeaseContract implements OnRedisCluster {
    }

    @Nested
    class LivenessRole extends LivenessContract implements OnRedisCluster {
    }

    @Nested
    class PlacesRole extends PlacesContract implements OnRedisCluster {
    }

    @Nested
    class RevocationRole extends RevocationContract implements OnRedisCluster {
    }

    @Override
    protected String uri() {
        return LocalRedis.clusterUri();
    }

    /** Topics spread over the three masters' slots: two servers still share each one's order, names and counter. */
    @Test
    void twoServersShareTopicsSpreadOverTheMasters() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub first = open("first", prefix);
        RedisHub second = open("second", prefix);
        List<String> topics = List.of("room-a", "room-b", "room-c", "room-d", "room-e", "room-f");
        List<Recorder> onFirst = topics.stream().map(t -> new Recorder()).toList();
        List<Recorder> onSecond = topics.stream().map(t -> new Recorder()).toList();
        for (int i = 0; i < topics.size(); i++) {
            first.subscribe(topics.get(i), onFirst.get(i));
            second.subscribe(topics.get(i), onSecond.get(i));
        }
        Concurrently.run(2, id -> {
            RedisHub hub = id == 0 ? first : second;
            for (int n = 0; n < 50; n++) {
                for (String topic : topics) {
                    hub.publish(topic, id + ":" + n, new Retention(10, 1 << 20));
                }
            }
        });
        for (int i = 0; i < topics.size(); i++) {
            assertThat(onSecond.get(i).await(100)).extracting(Message::text)
                    .isEqualTo(onFirst.get(i).await(100).stream().map(Message::text).toList());
        }
        assertThat(first.enter("names", new Member("ann", "Ann", first.node(), null), "in")).isPresent();
        assertThat(second.enter("names", new Member("ann", "ANN", second.node(), null), "in")).isEmpty();
        first.add("total", 5);
        assertThat(second.add("total", 2)).isEqualTo(new CounterChange.Counted(7, 2));
    }
}
