package dev.socketworks.hub;

import dev.socketworks.Concurrently;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryHubTest {

    private final InMemoryHub hub = new InMemoryHub();

    private static class Recorder implements Subscriber {
        final List<Object> received = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger flushes = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public void text(String text) {
            received.add(text);
        }

        @Override
        public void binary(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes); // consumes this subscriber's view only
            received.add(bytes.length);
        }
    }

    @Test
    void publishesToEverySubscriberOfTheTopicOnly() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder other = new Recorder();
        hub.subscribe("room", a);
        hub.subscribe("room", b);
        hub.subscribe("other", other);

        hub.publish("room", "hi");
        hub.publish("room", ByteBuffer.wrap(new byte[3]));

        assertThat(a.received).containsExactly("hi", 3);
        assertThat(b.received).containsExactly("hi", 3);
        assertThat(a.flushes).as("one flush at subscribe, one per publish").hasValue(3);
        assertThat(other.received).isEmpty();
        assertThat(hub.subscribers("room")).isEqualTo(2);
    }

    /** A send that blocks in flush() must not hold up other publishers of the topic. */
    @Test
    void flushRunsAfterTheTopicLockIsReleased() throws Exception {
        CountDownLatch otherPublisherDone = new CountDownLatch(1);
        Recorder blocking = new Recorder() {
            @Override
            public void flush() {
                if (received.contains("first") && flushes.incrementAndGet() == 1) {
                    Thread other = new Thread(() -> {
                        hub.publish("room", "from another thread");
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
        hub.publish("room", "first");
        assertThat(blocking.received).containsExactly("first", "from another thread");
    }

    @Test
    void closedSubscriptionsReceiveNothing() {
        Recorder a = new Recorder();
        Hub.Subscription subscription = hub.subscribe("room", a);
        subscription.close();
        hub.publish("room", "hi");
        assertThat(a.received).isEmpty();
        assertThat(hub.subscribers("room")).isZero();
    }

    @Test
    void publishingToATopicNobodyJoinedIsHarmless() {
        hub.publish("empty", "hi");
        assertThat(hub.subscribers("empty")).isZero();
    }

    @Test
    void concurrentPublishersProduceOneOrderSharedByAllSubscribers() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        hub.subscribe("room", a);
        hub.subscribe("room", b);
        int publishers = 8;
        int each = 1000;
        Concurrently.run(publishers, id -> {
            for (int i = 0; i < each; i++) {
                hub.publish("room", id + ":" + i);
            }
        });

        assertThat(a.received).hasSize(publishers * each).isEqualTo(b.received);
    }

    @Test
    void aWelcomeComesFirstThenEveryLaterPublication() {
        hub.publish("room", "before");
        Recorder a = new Recorder();
        hub.subscribe("room", a, () -> List.of("state 1", "state 2"));
        hub.publish("room", "after");
        assertThat(a.received).containsExactly("state 1", "state 2", "after");
    }

    @Test
    void computedPublicationsGoOutTogetherInOrderAndEmptyOnesNotAtAll() {
        Recorder a = new Recorder();
        hub.subscribe("room", a);
        hub.publishComputed("room", () -> List.of("event", "presence"));
        hub.publishComputed("room", List::of);
        assertThat(a.received).containsExactly("event", "presence");
        assertThat(a.flushes).as("subscribe, then the one non-empty publication").hasValue(2);
    }

    @Test
    void releaseDropsOnlyTopicsNobodySubscribes() {
        Recorder a = new Recorder();
        hub.subscribe("busy", a);
        hub.subscribe("idle", new Recorder()).close();
        assertThat(hub.topicCount()).isEqualTo(2);

        hub.release("idle");
        hub.release("busy");

        assertThat(hub.topicCount()).isEqualTo(1);
        hub.publish("busy", "still here");
        assertThat(a.received).containsExactly("still here");
    }
}
