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

/** What every engine must do for the counter role ({@link Counter}): exact sums, watchers, pipelined additions, a topic one kind only. Each engine's test runs it (memory, Redis, Redis Cluster). */
public abstract class CounterContract extends EngineContract {

    private static final Retention KEEP_100 = new Retention(100, Long.MAX_VALUE);
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

}
