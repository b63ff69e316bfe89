package dev.socketworks.hub;

import dev.socketworks.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** What every engine must do for the log role ({@link Log}): offsets, order, history, subscriptions from an offset. Each engine's test runs it (memory, Redis, Redis Cluster). */
public abstract class LogContract extends EngineContract {

    private static final Retention KEEP_100 = new Retention(100, Long.MAX_VALUE);
    @Test
    void offsetsIncreaseByOnePerPublicationOnEachTopic() {
        long a1 = hub.publish("a", "1", Retention.NONE);
        long b1 = hub.publish("b", "1", Retention.NONE);
        long a2 = hub.publish("a", ByteBuffer.wrap(new byte[]{2}), Retention.NONE);
        long a3 = hub.publish("a", "3", Retention.NONE);
        assertThat(List.of(a2, a3)).containsExactly(a1 + 1, a1 + 2);
        assertThat(hub.publish("b", "2", Retention.NONE)).isEqualTo(b1 + 1);
    }

    @Test
    void subscribersGetTheirTopicsPublicationsInOffsetOrder() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Recorder other = new Recorder();
        hub.subscribe("room", a);
        hub.subscribe("room", b);
        hub.subscribe("other", other);

        long first = hub.publish("room", "hi", Retention.NONE);
        hub.publish("room", ByteBuffer.wrap("bytes".getBytes(StandardCharsets.US_ASCII)), Retention.NONE);

        for (Recorder r : List.of(a, b)) {
            List<Message> got = r.await(2);
            assertThat(got).extracting(Message::offset).containsExactly(first, first + 1);
            assertThat(got.get(0).text()).isEqualTo("hi");
            assertThat(got.get(0).isBinary()).isFalse();
            assertThat(got.get(1).isBinary()).isTrue();
            assertThat(StandardCharsets.US_ASCII.decode(got.get(1).data()).toString()).isEqualTo("bytes");
            assertThat(got).extracting(Message::topic).containsOnly("room");
        }
        assertThat(other.all()).isEmpty();
        assertThat(hub.subscribers("room")).isEqualTo(2);
    }

    /** What the delivery lag is measured from: when the publishing server published it, text or binary. */
    @Test
    void aLivePublicationSaysWhenItWasPublished() {
        Recorder a = new Recorder();
        hub.subscribe("when", a);
        long before = System.currentTimeMillis();
        hub.publish("when", "now", Retention.NONE);
        hub.publish("when", ByteBuffer.wrap(new byte[]{7}), Retention.NONE);
        long after = System.currentTimeMillis();
        for (Message m : a.await(2)) {
            assertThat(m.publishedAt()).as(m.isBinary() ? "binary" : "text").isBetween(before, after);
        }
        assertThat(a.await(2).get(0).text()).as("the publication time does not touch the payload").isEqualTo("now");
    }

    @Test
    void everyReaderOfABinaryPublicationGetsAllOfItsBytes() {
        Recorder a = new Recorder();
        hub.subscribe("bin", a);
        hub.publish("bin", ByteBuffer.wrap(new byte[]{1, 2, 3}), Retention.NONE);
        Message m = a.await(1).get(0);
        m.data().get(new byte[3]); // consumes one view only
        assertThat(m.data().remaining()).isEqualTo(3);
        assertThat(m.data().isReadOnly()).as("containers may need the backing array (Liberty's send fails on a read-only view)")
                .isFalse();
    }

    @Test
    void closedSubscriptionsReceiveNothingMore() {
        Recorder a = new Recorder();
        Recorder witness = new Recorder();
        hub.subscribe("room", witness);
        hub.subscribe("room", a).close();
        hub.publish("room", "hi", Retention.NONE);
        witness.await(1);
        assertThat(a.all()).isEmpty();
        assertThat(hub.subscribers("room")).isEqualTo(1);
    }

    @Test
    void historyKeepsTheNewestRetainedPublicationsWithinCountAndBytes() {
        long first = hub.publish("log", "m1", new Retention(3, Long.MAX_VALUE));
        hub.publish("log", "not kept", Retention.NONE);
        for (int i = 2; i <= 5; i++) {
            hub.publish("log", "m" + i, new Retention(3, Long.MAX_VALUE));
        }
        History all = hub.history("log", Long.MIN_VALUE, 100);
        assertThat(all.messages()).extracting(Message::text).containsExactly("m3", "m4", "m5");
        assertThat(all.lastOffset()).isEqualTo(first + 5);
        assertThat(all.complete()).as("m1 and m2 were dropped").isFalse();

        History after = hub.history("log", first + 3, 100);
        assertThat(after.messages()).extracting(Message::text).containsExactly("m4", "m5");
        assertThat(after.complete()).isTrue();
        assertThat(after.epoch()).isEqualTo(all.epoch());
        assertThat(hub.history("log", first + 3, 1).messages()).extracting(Message::text).containsExactly("m4");

        // Bytes: each text counts 2 bytes per char + 64; two of these fit in 300, not three.
        Retention bytes = new Retention(100, 300);
        hub.publish("sized", "x".repeat(40), bytes);
        hub.publish("sized", "y".repeat(40), bytes);
        hub.publish("sized", "z".repeat(40), bytes);
        assertThat(hub.history("sized", Long.MIN_VALUE, 100).messages()).extracting(m -> m.text().charAt(0))
                .containsExactly('y', 'z');
        hub.publish("sized", "too big for the topic".repeat(10), bytes);
        assertThat(hub.history("sized", Long.MIN_VALUE, 100).messages()).extracting(m -> m.text().charAt(0))
                .as("a publication over the topic's bytes is delivered, not kept").containsExactly('y', 'z');
    }

    @Test
    void aReplayedSubscriptionGetsHistoryThenLiveWithNoGapAndNoDuplicate() throws Exception {
        int total = 2000;
        Retention all = new Retention(total, Long.MAX_VALUE);
        long first = hub.publish("busy", "0", all);
        Recorder joiner = new Recorder();
        AtomicBoolean subscribed = new AtomicBoolean();
        Concurrently.run(2, id -> {
            if (id == 0) {
                for (int i = 1; i < total; i++) {
                    hub.publish("busy", Integer.toString(i), all);
                }
            } else {
                while (hub.history("busy", Long.MIN_VALUE, total).messages().size() < total / 4) {
                    Thread.onSpinWait(); // subscribe while publications are still coming
                }
                hub.subscribe("busy", joiner, Long.MIN_VALUE, total);
                subscribed.set(true);
            }
        });
        assertThat(subscribed).isTrue();
        List<Message> got = joiner.await(total);
        for (int i = 0; i < total; i++) {
            assertThat(got.get(i).offset()).isEqualTo(first + i);
            assertThat(got.get(i).text()).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void aResumeGetsExactlyWhatCameAfterItsOffset() {
        Retention keep = KEEP_100;
        long one = hub.publish("room", "one", keep);
        hub.publish("room", "two", keep);
        hub.publish("room", "three", keep);
        Recorder resumed = new Recorder();
        hub.subscribe("room", resumed, one, 100);
        hub.publish("room", "four", keep);
        assertThat(resumed.texts(3)).containsExactly("two", "three", "four");
    }

    @Test
    void concurrentPublishersProduceOneOrderSharedByAllSubscribers() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        hub.subscribe("room", a);
        hub.subscribe("room", b);
        int publishers = 8;
        int each = 500;
        Concurrently.run(publishers, id -> {
            for (int i = 0; i < each; i++) {
                hub.publish("room", id + ":" + i, Retention.NONE);
            }
        });
        List<Message> seenByA = a.await(publishers * each);
        assertThat(b.await(publishers * each)).extracting(Message::text)
                .isEqualTo(seenByA.stream().map(Message::text).toList());
        for (int i = 1; i < seenByA.size(); i++) {
            assertThat(seenByA.get(i).offset()).isEqualTo(seenByA.get(i - 1).offset() + 1);
        }
    }


    /** A released topic used again (a room dropped and made anew) goes on above every offset it had: ids keep increasing. */
    @Test
    void aReleasedTopicUsedAgainGoesOnAboveItsOffsets() {
        long before = hub.publish("again", "first life", KEEP_100);
        hub.release("again");
        long after = hub.publish("again", "second life", KEEP_100);
        assertThat(after).isGreaterThan(before);
    }

    /** Released while followed here, a topic is kept: its subscribers go on receiving. */
    @Test
    void aTopicWithSubscribersIsNotReleased() {
        Recorder r = new Recorder();
        hub.subscribe("kept", r);
        hub.release("kept");
        hub.publish("kept", "still here", KEEP_100);
        assertThat(r.texts(1)).containsExactly("still here");
        assertThat(hub.subscribers("kept")).isEqualTo(1);
    }
}
