package dev.socketworks.hub;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's own threads. Only they (and the client library's I/O threads) call Redis: a call
 * leaves the client library's thread-locals on its thread, and on a container's pooled thread they
 * outlive the application and keep its class loader (every redeploy leaked one). These threads end
 * with the hub, and their state with them.
 */
final class EngineThreads {

    private EngineThreads() {
    }

    private static final class EngineThread extends Thread {
        EngineThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    /** Threads named {@code name-1}, {@code name-2}…: daemons, so a hub never closed cannot hold up the JVM's exit. */
    static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> new EngineThread(task, name + "-" + count.incrementAndGet());
    }

    /** Runs {@code work} on a new engine thread and waits for it: for what must not run on the caller's. */
    static <T> T callOnNewThread(String name, java.util.function.Supplier<T> work) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread thread = named(name).newThread(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the engine", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e.getCause();
        }
    }

    /** Whether the current thread may call the engine directly: one of the engine's, or the client's I/O. */
    static boolean isCurrent() {
        Thread current = Thread.currentThread();
        return current instanceof EngineThread || current instanceof io.netty.util.concurrent.FastThreadLocalThread;
    }
}
