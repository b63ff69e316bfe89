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

/**
 * What every hub must do, whatever holds the topics: each engine's test extends this class and
 * supplies a fresh hub. Deliveries may be asynchronous (a shared engine), so assertions on what a
 * subscriber received wait for it with a deadline.
 */
public abstract class HubContract {

    private static final Retention KEEP_100 = new Retention(100, Long.MAX_VALUE);

    /** A hub with no topics in use by any other test. */
    protected abstract Hub newHub();

    private final Hub hub = newHub();

    /** Records deliveries; waits for a count with a deadline. */
    protected static class Recorder implements Subscriber {
        private final List<Message> received = new ArrayList<>();

        @Override
        public synchronized void deliver(Message message) {
            received.add(message);
            notifyAll();
        }

        @Override
        public void flush() {
        }

        /** The first {@code count} deliveries, once they arrived (fails after 10 s). */
        public synchronized List<Message> await(int count) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("deliveries after 10 s: " + received.size() + " of " + count).isPositive();
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return List.copyOf(received.subList(0, count));
        }

        public synchronized List<Message> all() {
            return List.copyOf(received);
        }

        List<String> texts(int count) {
            return await(count).stream().map(Message::text).toList();
        }
    }

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

    @Test
    void aCounterAddsExactlyAndRefusesOverflow() {
        assertThat(hub.add("total", 5)).isEqualTo(new CounterChange.Counted(5, 1));
        assertThat(hub.add("total", -7)).isEqualTo(new CounterChange.Counted(-2, 2));
        assertThat(hub.add("total", Long.MAX_VALUE)).isEqualTo(new CounterChange.Counted(Long.MAX_VALUE - 2, 3));
        assertThat(hub.add("total", 3)).isInstanceOf(CounterChange.Overflow.class);
        assertThat(hub.add("total", 0)).as("an overflow changed nothing and took no offset")
                .isEqualTo(new CounterChange.Counted(Long.MAX_VALUE - 2, 4));
    }

    @Test
    void aWatcherGetsTheCurrentValueThenEveryChange() {
        Recorder before = new Recorder();
        hub.watch("count", before);
        assertThat(before.await(1).get(0)).extracting(Message::text, Message::offset).containsExactly("0", 0L);
        hub.add("count", 5);
        Recorder joiner = new Recorder();
        hub.watch("count", joiner);
        hub.add("count", 2);
        assertThat(joiner.await(2)).extracting(Message::text, Message::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("5", 1L), org.assertj.core.groups.Tuple.tuple("7", 2L));
        assertThat(before.texts(3)).containsExactly("0", "5", "7");
    }

    @Test
    void concurrentAddsGiveAnExactSumAndOneChangePerOffset() throws Exception {
        Recorder watcher = new Recorder();
        hub.watch("sum", watcher);
        int threads = 8;
        int each = 250;
        Concurrently.run(threads, id -> {
            for (int i = 0; i < each; i++) {
                hub.add("sum", 1);
            }
        });
        List<Message> seen = watcher.await(threads * each + 1);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).offset()).isEqualTo(i);
            assertThat(seen.get(i).text()).isEqualTo(Integer.toString(i));
        }
    }

    /** Additions made one after another without waiting (pipelined on an engine) count in the order made. */
    @Test
    void additionsMadeWithoutWaitingCountInTheOrderMade() throws Exception {
        List<java.util.concurrent.CompletableFuture<CounterChange>> answers = new java.util.ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            answers.add(hub.addLater("pipelined", i % 2 == 0 ? 2 : -1));
        }
        long expected = 0;
        for (int i = 1; i <= 500; i++) {
            expected += i % 2 == 0 ? 2 : -1;
            CounterChange change = answers.get(i - 1).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(change).isEqualTo(new CounterChange.Counted(expected, i));
        }
    }

    @Test
    void presenceIsUniqueByKeyAndEachChangeIsPublishedAloneWhileTheEntererGetsTheMembers() {
        Recorder r = new Recorder();
        hub.subscribe("room", r);
        Member ann = new Member("ann", "Ann", hub.node(), null);
        Member bob = new Member("bob", "Bob", hub.node(), null);

        OptionalLong annIn = hub.enter("room", ann, "ann joined");
        assertThat(hub.enter("room", new Member("ann", "ANN", hub.node(), null), "again")).isEmpty();
        OptionalLong bobIn = hub.enter("room", bob, "bob joined");
        assertThat(hub.members("room")).containsExactly(ann, bob);
        OptionalLong annOut = hub.leave("room", "ann", "ann left");
        assertThat(hub.leave("room", "ann", "ann left twice")).isEmpty();

        assertThat(annIn).isPresent();
        assertThat(List.of(bobIn.getAsLong(), annOut.getAsLong())).containsExactly(annIn.getAsLong() + 1, annIn.getAsLong() + 2);
        List<Message> seen = r.await(3);
        assertThat(seen).extracting(Message::text).containsExactly("ann joined", "bob joined", "ann left");
        assertThat(hub.history("room", Long.MIN_VALUE, 10).messages()).as("presence changes are not history").isEmpty();
        assertThat(hub.members("room")).containsExactly(bob);
    }

    /** The list goes to the one who entered, as of its entry, and at most listMax of it: a join is O(listMax), not O(room). */
    @Test
    void theEntererGetsTheMembersAsOfItsEntryAndAtMostListMaxOfThem() {
        for (int i = 0; i < 5; i++) {
            assertThat(hub.enter("crowd", new Member("m" + i, "M" + i, hub.node(), null), "m" + i + " joined", 3)).isPresent();
        }
        Hub.Entered sixth = hub.enter("crowd", new Member("m5", "M5", hub.node(), null), "m5 joined", 3).orElseThrow();
        assertThat(sixth.count()).isEqualTo(6);
        assertThat(sixth.members()).extracting(Member::key).containsExactly("m0", "m1", "m2");
        assertThat(sixth.member().name()).isEqualTo("M5");
        assertThat(sixth.offset()).isEqualTo(hub.leave("crowd", "m5", "m5 left").getAsLong() - 1);

        Hub.Entered unlisted = hub.enter("crowd", new Member("m6", "M6", hub.node(), null), "m6 joined", 0).orElseThrow();
        assertThat(unlisted.members()).isEmpty();
        assertThat(unlisted.count()).isEqualTo(6);
    }

    /** A user's second connection finds its entry whatever name it asks for: one user, one entry. */
    @Test
    void aUsersConnectionFindsItsEntryUnderTheNameItHoldsWhateverItAsks() {
        Member ann = new Member("ann (2)", "Ann (2)", hub.node(), "user-2");
        assertThat(hub.enter("names", ann, "ann (2) joined")).isPresent();
        Hub.Entered again = hub.enter("names", new Member("ann", "Ann", hub.node(), "user-2"), "again", 10).orElseThrow();
        assertThat(again.offset()).isEqualTo(Hub.NOT_ANNOUNCED);
        assertThat(again.member()).isEqualTo(ann);
        assertThat(again.members()).containsExactly(ann);
        assertThat(hub.members("names")).containsExactly(ann);
        assertThat(hub.leave("names", "ann (2)", "one tab left")).hasValue(Hub.NOT_ANNOUNCED);
        assertThat(hub.leave("names", "ann (2)", "ann (2) left")).isPresent();
        assertThat(hub.enter("names", new Member("ann", "Ann", hub.node(), "user-2"), "back as Ann", 10).orElseThrow().member().name())
                .as("once gone, the user enters under the name it asks").isEqualTo("Ann");
    }

    @Test
    void aUsersConnectionsShareOneEntryWhichLeavesWithTheLast() {
        Recorder r = new Recorder();
        hub.subscribe("shared", r);
        Member ann = new Member("ann", "Ann", hub.node(), "user-1");

        OptionalLong in = hub.enter("shared", ann, "ann joined");
        assertThat(in).isPresent();
        assertThat(in.getAsLong()).isNotEqualTo(Hub.NOT_ANNOUNCED);
        assertThat(hub.enter("shared", new Member("ann", "Ann", hub.node(), "user-1"), "second tab"))
                .as("the same user holds the entry once more").hasValue(Hub.NOT_ANNOUNCED);
        assertThat(hub.enter("shared", new Member("ann", "Ann", hub.node(), "user-2"), "another user")).isEmpty();
        assertThat(hub.enter("shared", new Member("ann", "Ann", hub.node(), null), "a guest")).isEmpty();
        assertThat(hub.members("shared")).containsExactly(ann);

        assertThat(hub.leave("shared", "ann", "first tab left")).hasValue(Hub.NOT_ANNOUNCED);
        assertThat(hub.members("shared")).as("listed while a connection remains").containsExactly(ann);
        OptionalLong out = hub.leave("shared", "ann", "ann left");
        assertThat(out).isPresent();
        assertThat(out.getAsLong()).isEqualTo(in.getAsLong() + 1);
        assertThat(hub.leave("shared", "ann", "again")).isEmpty();
        assertThat(hub.members("shared")).isEmpty();
        assertThat(r.await(2)).extracting(Message::text).containsExactly("ann joined", "ann left");

        Member guest = new Member("bob", "Bob", hub.node(), null);
        hub.enter("shared", guest, "bob joined");
        assertThat(hub.enter("shared", guest, "bob again")).as("a guest's entry is its connection's alone").isEmpty();
        assertThat(hub.leave("shared", "bob", "bob left")).isPresent();
        assertThat(hub.members("shared")).isEmpty();
    }

    /** A group holds at most max places; one given back is free again; groups count apart. */
    @Test
    void aGroupHoldsAtMostMaxPlacesUntilOneIsGivenBack() {
        Places places = hub.places();
        for (int i = 0; i < 3; i++) {
            assertThat(places.take("user-a", 3)).isTrue();
        }
        assertThat(places.take("user-a", 3)).isFalse();
        assertThat(places.held("user-a")).isEqualTo(3);
        assertThat(places.take("user-b", 3)).as("another group").isTrue();
        places.giveBack("user-a");
        assertThat(places.held("user-a")).isEqualTo(2);
        assertThat(places.take("user-a", 3)).isTrue();
        for (int i = 0; i < 3; i++) {
            places.giveBack("user-a");
        }
        assertThat(places.held("user-a")).isZero();
        assertThat(places.held("nobody")).isZero();
    }

    /** Taken all at once, the cap is exact: the check and the count are one step. */
    @Test
    void thePlaceCapHoldsUnderAStorm() throws Exception {
        java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
        Concurrently.run(16, id -> {
            for (int i = 0; i < 4; i++) {
                if (hub.places().take("storm", 5)) {
                    taken.incrementAndGet();
                }
            }
        });
        assertThat(taken.get()).isEqualTo(5);
        assertThat(hub.places().held("storm")).isEqualTo(5);
    }

    /** A topic is used as a log or as a counter, never both: the other kind of use is a programming error, refused. */
    @Test
    void aTopicIsEitherALogOrACounter() {
        hub.publish("a-log", "x", KEEP_100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.add("a-log", 1)).isInstanceOf(IllegalStateException.class);
        hub.add("a-counter", 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.publish("a-counter", "x", KEEP_100))
                .isInstanceOf(IllegalStateException.class);
        assertThat(hub.add("a-counter", 1)).isEqualTo(new CounterChange.Counted(2, 2));
    }

    @Test
    void presenceAndPublicationsShareOneOffsetSequence() {
        long said = hub.publish("room", "hello", KEEP_100);
        long entered = hub.enter("room", new Member("k", "K", hub.node(), null), "joined").getAsLong();
        assertThat(entered).isEqualTo(said + 1);
        assertThat(hub.publish("room", "bye", KEEP_100)).isEqualTo(said + 2);
    }
}
