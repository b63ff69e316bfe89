package dev.socketworks.arena;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One arena's changes of role (start, run, relay, go dormant, end) and the joins that may cause them,
 * one at a time and in order, with no lock held: they call the engine, which may stall. A caller
 * finding the turn free takes it and runs the work itself (a join is applied before its message
 * returns, as players expect); otherwise the work waits for whoever holds the turn. Bounded: past
 * {@link #MAX_WAITING} the work is refused, as if the engine were away.
 */
final class ArenaTurn {

    /** Changes and joins waiting for one arena's turn: only a stalled engine lets them pile up. */
    static final int MAX_WAITING = 10_000;
    private static final Logger LOG = Logger.getLogger(ArenaTurn.class.getName());

    private final String name;
    private final Executor elsewhere;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean taken = new AtomicBoolean();

    /** @param elsewhere where work handed off runs: the deployment's engine work, never a tick's thread */
    ArenaTurn(String name, Executor elsewhere) {
        this.name = name;
        this.elsewhere = elsewhere;
    }

    /** Runs {@code work} now on this thread if the turn is free, else after what waits. False if refused. */
    boolean run(Runnable work) {
        if (!enqueue(work)) {
            return false;
        }
        drain();
        return true;
    }

    /**
     * As {@link #run}, never refused: for a departure, which frees what its connection held and must
     * not be lost. Bounded all the same: each connection departs once.
     */
    void runAlways(Runnable work) {
        size.incrementAndGet();
        waiting.add(work);
        drain();
    }

    /** Runs {@code work} on the turn, never on this thread: for a tick's or a delivery's thread. */
    void handOff(Runnable work) {
        if (enqueue(work)) {
            try {
                elsewhere.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // undeploying: everything ends anyway
            }
        }
    }

    private boolean enqueue(Runnable work) {
        if (size.incrementAndGet() > MAX_WAITING) {
            size.decrementAndGet();
            return false;
        }
        waiting.add(work);
        return true;
    }

    private void drain() {
        // Checked again after letting go: work added while the holder was finishing is not left behind.
        while (!waiting.isEmpty() && taken.compareAndSet(false, true)) {
            try {
                for (Runnable work = waiting.poll(); work != null; work = waiting.poll()) {
                    size.decrementAndGet();
                    try {
                        work.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Arena " + name + ": a change of role failed", e);
                    }
                }
            } finally {
                taken.set(false);
            }
        }
    }
}
