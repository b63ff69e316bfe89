package dev.socketworks.hub;

import java.util.concurrent.CompletableFuture;

/**
 * The hub's counter role: a topic holding a 64-bit value, each change published as decimal text at
 * the next offset. A topic is a log or a counter, never both: using it as the other is refused
 * ({@link IllegalStateException}) by every implementation. Contract: {@code CounterContract}.
 */
public interface Counter {

    /**
     * Adds {@code delta} to the topic's counter (0 in a new epoch) and publishes the new value as
     * decimal text; the publication's offset counts the changes (1 for the first of an epoch).
     */
    CounterChange add(String topic, long delta);

    /**
     * As {@link #add}, answered later: a shared engine pipelines the additions made one after another
     * on this server (in that order), so a producer does not wait a round trip per addition. The
     * future completes on the engine's thread, exceptionally with {@link EngineUnavailableException}.
     */
    default CompletableFuture<CounterChange> addLater(String topic, long delta) {
        try {
            return CompletableFuture.completedFuture(add(topic, delta));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Delivers the counter's current value and offset first (0 and 0 before any change), then every change. */
    Log.Subscription watch(String topic, Subscriber subscriber);
}
