package dev.socketworks.totals;

import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.Concurrently;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RunningTotalTest {

    private final RunningTotal total = new RunningTotal(new InMemoryHub());

    private static final class Recorder implements Subscriber {
        final List<RunningTotal.Change> changes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void text(String wire) {
            changes.add(RunningTotal.Change.fromWire(wire));
        }

        @Override
        public void binary(ByteBuffer data) {
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
        total.add(-3);
        assertThat(r.changes).containsExactly(new RunningTotal.Change(5, 1), new RunningTotal.Change(2, 2));
    }

    @Test
    void overflowIsRefusedAndLeavesTheTotalUnchanged() {
        assertThat(total.add(Long.MAX_VALUE)).isInstanceOf(RunningTotal.Added.class);
        assertThat(total.add(1)).isInstanceOf(RunningTotal.Overflow.class);
        assertThat(total.add(Long.MIN_VALUE)).isEqualTo(new RunningTotal.Added(new RunningTotal.Change(-1, 2)));
        assertThat(total.add(Long.MIN_VALUE)).isInstanceOf(RunningTotal.Overflow.class);
        Recorder r = new Recorder();
        total.join(r);
        assertThat(r.changes).containsExactly(new RunningTotal.Change(-1, 2));
    }

    @Test
    void concurrentProducersGiveAnExactSumAndOrderedSequence() throws Exception {
        Recorder watcher = new Recorder();
        total.join(watcher);
        int producers = 8;
        int each = 2000;
        AtomicLong expected = new AtomicLong();
        Concurrently.run(producers, id -> {
            for (int i = 0; i < each; i++) {
                long amount = (i % 2 == 0 ? 1 : -1) * (id * 1000L + i);
                total.add(amount);
                expected.addAndGet(amount);
            }
        });

        List<RunningTotal.Change> seen = watcher.changes;
        assertThat(seen).hasSize(producers * each + 1);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).seq()).isEqualTo(i);
        }
        assertThat(seen.get(seen.size() - 1).total()).isEqualTo(expected.get());
    }
}
