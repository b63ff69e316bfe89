package dev.socketworks.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs a task on several threads released at the same instant, and waits for all with a deadline. */
public final class Concurrently {

    private Concurrently() {
    }

    /** One thread's part; it may throw (a send, a connect). */
    @FunctionalInterface
    public interface Task {
        void run(int thread) throws Exception;
    }

    /** Runs {@code task(thread)} for thread 0..threads-1, each within 30 s; rethrows the first failure. */
    public static void run(int threads, Task task) throws Exception {
        run(threads, java.time.Duration.ofSeconds(30), task);
    }

    public static void run(int threads, java.time.Duration deadline, Task task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                running.add(pool.submit(() -> {
                    start.await();
                    task.run(id);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : running) {
                f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
