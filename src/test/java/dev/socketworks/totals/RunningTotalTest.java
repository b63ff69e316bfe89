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
}
