package dev.socketworks.hub;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The role contracts on one server's memory, and what only memory does (its budget, its locks). */
class InMemoryHubTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    /** The role contracts, each on a hub of this engine. */
    interface OnMemory extends Engine {
        @Override
        default Hub connect(String node, String prefix) {
            return new InMemoryHub(node, Long.MAX_VALUE, Clock.systemUTC());
        }
    }

    @Nested
    class LogRole extends LogContract implements OnMemory {
    }

    @Nested
    class PresenceRole extends PresenceContract implements OnMemory {
    }

    @Nested
    class CounterRole extends CounterContract implements OnMemory {
    }

    @Nested
    class LeaseRole extends LeaseContract implements OnMemory {
    }

    @Nested
    class LivenessRole extends LivenessContract implements OnMemory {
    }

    @Nested
    class PlacesRole extends PlacesContract implements OnMemory {
    }

    @Nested
    class RevocationRole extends RevocationContract implements OnMemory {
    }

    /** Revocations are bounded in count: past the bound a new user is refused, an existing one still moves forward, an expired one makes room. */
    @Test
    void memoryKeepsAtMostMaxRevokedUsers() {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
        InMemoryHub hub = new InMemoryHub("one", Long.MAX_VALUE, new Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        });
        hub.maxRevoked = 3;
        for (String user : new String[]{"a", "b"}) {
            assertThat(hub.revoke(user, NOW, java.time.Duration.ofMinutes(10))).isTrue();
        }
        assertThat(hub.revoke("c", NOW, java.time.Duration.ofMinutes(1))).isTrue();
        assertThat(hub.revoke("d", NOW, java.time.Duration.ofMinutes(10))).as("at the bound").isFalse();
        assertThat(hub.revokedBefore("d")).isNull();
        assertThat(hub.revoke("a", NOW.plusSeconds(1), java.time.Duration.ofMinutes(10))).as("one already kept").isTrue();
        now.set(NOW.plusSeconds(61)); // c lapsed
        assertThat(hub.revoke("d", NOW, java.time.Duration.ofMinutes(10))).isTrue();
        assertThat(hub.revokedBefore("d")).isEqualTo(NOW);
        assertThat(hub.revokedBefore("c")).isNull();
    }

    /** A send that blocks in flush() must not hold up other publishers of the topic. */
    @Test
    void flushRunsAfterTheTopicLockIsReleased() throws Exception {
        InMemoryHub hub = new InMemoryHub();
        CountDownLatch otherPublisherDone = new CountDownLatch(1);
        EngineContract.Recorder blocking = new EngineContract.Recorder() {
            private boolean first = true;

            @Override
            public void flush() {
                if (first) {
                    first = false;
                    Thread other = new Thread(() -> {
                        hub.publish("room", "from another thread", Retention.NONE);
                        otherPublisherDone.countDown();
                    });
                    other.start();
                    try {
                        assertThat(otherPublisherDone.await(10, TimeUnit.SECONDS)).as("other publisher finished").isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        hub.subscribe("room", blocking);
        hub.publish("room", "first", Retention.NONE);
        assertThat(blocking.texts(2)).containsExactly("first", "from another thread");
    }

    @Test
    void aLogTopicStartsAboveTheClockSoARecreatedTopicContinuesAboveItsOldOffsets() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        InMemoryHub hub = new InMemoryHub("local", Long.MAX_VALUE, clock);
        long first = hub.publish("room", "a", Retention.NONE);
        assertThat(first).isEqualTo(NOW.toEpochMilli() * 1000 + 1);
        String epoch = hub.history("room", 0, 1).epoch();
        for (int i = 0; i < 5; i++) {
            hub.publish("room", "more", Retention.NONE);
        }
        hub.release("room");

        InMemoryHub later = new InMemoryHub("local", Long.MAX_VALUE, Clock.offset(clock, java.time.Duration.ofMillis(1)));
        long again = later.publish("room", "b", Retention.NONE);
        assertThat(again).isGreaterThan(first + 5);
        assertThat(later.history("room", 0, 1).epoch()).isNotEqualTo(epoch);
    }

    @Test
    void releaseForgetsOnlyTopicsWithNoSubscriberAndNoMember() {
        InMemoryHub hub = new InMemoryHub();
        EngineContract.Recorder a = new EngineContract.Recorder();
        hub.subscribe("busy", a);
        hub.subscribe("idle", new EngineContract.Recorder()).close();
        hub.enter("present", new Member("k", "K", "local", null), "in");
        assertThat(hub.topicCount()).isEqualTo(3);

        hub.release("idle");
        hub.release("busy");
        hub.release("present");

        assertThat(hub.topicCount()).isEqualTo(2);
        hub.publish("busy", "still here", Retention.NONE);
        assertThat(a.texts(1)).containsExactly("still here");
    }

    @Test
    void overTheMemoryBudgetIdleTopicsLoseHistoryFirstThenThePublisherItsOldest() {
        long entry = 2L * 10 + 64; // a 10-char text
        InMemoryHub hub = new InMemoryHub("local", 6 * entry, Clock.systemUTC());
        Retention keep = new Retention(100, Long.MAX_VALUE);
        hub.subscribe("watched", new EngineContract.Recorder());
        for (int i = 0; i < 2; i++) {
            hub.publish("idle-old", "0123456789", keep);
            hub.publish("idle-new", "0123456789", keep);
            hub.publish("watched", "0123456789", keep);
        }
        assertThat(hub.retainedBytes()).isEqualTo(6 * entry);

        hub.publish("watched", "0123456789", keep);
        assertThat(hub.history("idle-old", Long.MIN_VALUE, 10).messages()).as("least recently used idle topic").isEmpty();
        assertThat(hub.history("idle-old", Long.MIN_VALUE, 10).complete()).isFalse();
        assertThat(hub.history("idle-new", Long.MIN_VALUE, 10).messages()).hasSize(2);
        assertThat(hub.history("watched", Long.MIN_VALUE, 10).messages()).hasSize(3);

        hub.publish("watched", "0123456789", keep);
        hub.publish("watched", "0123456789", keep);
        hub.publish("watched", "0123456789", keep);
        assertThat(hub.history("idle-new", Long.MIN_VALUE, 10).messages()).isEmpty();
        assertThat(hub.history("watched", Long.MIN_VALUE, 10).messages()).as("then its own oldest").hasSize(6);
        hub.publish("watched", "0123456789", keep);
        assertThat(hub.history("watched", Long.MIN_VALUE, 10).messages()).hasSize(6);
        assertThat(hub.retainedBytes()).isEqualTo(6 * entry);
    }

    @Test
    void aTopicIsEitherALogOrACounter() {
        InMemoryHub hub = new InMemoryHub();
        hub.add("n", 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.publish("n", "text", Retention.NONE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(hub.members("room")).isEqualTo(List.of());
    }
}
