package dev.socketworks.totals;

import dev.socketworks.hub.CounterChange;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunningTotalTest {

    private final RunningTotal total = new RunningTotal(new InMemoryHub());

    /** Each change as "seq=total". */
    private static final class Recorder implements Subscriber {
        final List<String> changes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void deliver(Message change) {
            changes.add(change.offset() + "=" + change.text());
        }

        @Override
        public void flush() {
        }
    }

    @Test
    void aJoinerFirstReceivesTheCurrentTotalThenEveryChange() {
        total.add(5);
        Recorder r = new Recorder();
        total.join(r);
        total.add(-2);
        assertThat(r.changes).containsExactly("1=5", "2=3");
    }

    @Test
    void overflowIsRefusedAndLeavesTheTotalUnchanged() {
        total.add(Long.MAX_VALUE);
        assertThat(total.add(1)).isInstanceOf(CounterChange.Overflow.class);
        Recorder r = new Recorder();
        total.join(r);
        assertThat(r.changes).containsExactly("1=" + Long.MAX_VALUE);
        assertThat(total.add(-1)).isEqualTo(new CounterChange.Counted(Long.MAX_VALUE - 1, 2));
    }

    @Test
    void concurrentProducersGiveAnExactSumAndOrderedSequence() throws Exception {
        Recorder r = new Recorder();
        total.join(r);
        Concurrently.run(8, id -> {
            for (int i = 0; i < 1000; i++) {
                total.add(1);
            }
        });
        assertThat(r.changes).hasSize(8001);
        for (int i = 0; i <= 8000; i++) {
            assertThat(r.changes.get(i)).isEqualTo(i + "=" + i);
        }
    }

    /**
     * A producer's additions are on their way without waiting for each answer, at most
     * totalsAdditionsInFlight of them: one more waits for an answer, and is refused (nothing added)
     * if none comes within the wait.
     */
    @Test
    void aProducerHasAtMostDepthAdditionsOnTheirWay() throws Exception {
        InMemoryHub memory = new InMemoryHub();
        List<java.util.concurrent.CompletableFuture<CounterChange>> unanswered = Collections.synchronizedList(new ArrayList<>());
        dev.socketworks.hub.Hub slow = (dev.socketworks.hub.Hub) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{dev.socketworks.hub.Hub.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addLater")) {
                        java.util.concurrent.CompletableFuture<CounterChange> answer = new java.util.concurrent.CompletableFuture<>();
                        unanswered.add(answer);
                        return answer;
                    }
                    return method.invoke(memory, args);
                });
        RunningTotal.Producer producer = new RunningTotal(slow).producer(2, java.time.Duration.ofMillis(100));
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        java.util.function.BiConsumer<CounterChange, Throwable> record = (change, failure) -> answers.add(String.valueOf(change));

        assertThat(producer.add(1, record)).isTrue();
        assertThat(producer.add(2, record)).as("two on their way, none answered").isTrue();
        assertThat(producer.add(3, record)).as("a third waits, and with no answer within the wait is refused").isFalse();
        assertThat(unanswered).hasSize(2);

        unanswered.get(0).complete(new CounterChange.Counted(1, 1));
        assertThat(answers).containsExactly("Counted[value=1, offset=1]");
        assertThat(producer.add(3, record)).as("an answer frees a place").isTrue();
        assertThat(unanswered).hasSize(3);
    }
}
