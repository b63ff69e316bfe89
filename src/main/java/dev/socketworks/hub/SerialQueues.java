package dev.socketworks.hub;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work run one task at a time per queue, queues in parallel on a small pool: each topic's
 * publications keep their order while a topic that waits for the engine (a gap read back from the
 * stream) holds up no other topic. Bounded: past {@code maxWaiting} tasks in all queues together, a
 * task is dropped and counted (a publication dropped so is read back from the stream when the next
 * one shows the gap).
 */
final class SerialQueues {

    /** Tasks a queue runs before giving its thread to the next queue: topics share the pool fairly. */
    private static final int TURN = 64;

    private final ExecutorService pool;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    /** @param threads the pool's size: the cores, as delivery only enqueues on outboxes */
    SerialQueues(String name, int threads, int maxWaiting) {
        this.maxWaiting = maxWaiting;
        // Unbounded in type only: it holds at most one turn per queue, and queues are the topics followed.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                EngineThreads.named(name));
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    /** A new queue on this pool. */
    Queue queue() {
        return new Queue();
    }

    long dropped() {
        return dropped.get();
    }

    void shutdown() {
        pool.shutdownNow();
    }

    void awaitTermination(java.time.Duration deadline) {
        try {
            pool.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tasks run in the order given, one at a time. */
    final class Queue {
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        /** Never blocks (the engine's I/O thread calls it); false when the task was dropped. */
        boolean execute(Runnable task) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                dropped.incrementAndGet();
                return false;
            }
            tasks.add(task);
            schedule();
            return true;
        }

        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                try {
                    pool.execute(this::runTurn);
                } catch (RejectedExecutionException closing) {
                    scheduled.set(false);
                }
            }
        }

        private void runTurn() {
            try {
                for (int i = 0; i < TURN; i++) {
                    Runnable task = tasks.poll();
                    if (task == null) {
                        break;
                    }
                    waiting.decrementAndGet();
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        java.util.logging.Logger.getLogger(SerialQueues.class.getName())
                                .log(java.util.logging.Level.WARNING, "A delivery task failed", e);
                    }
                }
            } finally {
                scheduled.set(false);
                if (!tasks.isEmpty()) {
                    schedule(); // more came, or the turn ended: back in line behind other topics
                }
            }
        }
    }
}
