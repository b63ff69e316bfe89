package dev.socketworks.hub;

import java.nio.ByteBuffer;

/**
 * The hub's log role: topics as ordered logs. Every publication on a topic gets the next
 * {@code offset} (one more than the last); a topic's {@code epoch} changes when its past is lost (a
 * fresh server, an engine that lost its data), so offsets are only compared within one epoch.
 * Subscribers are local to this server and receive, per topic, every publication after they
 * subscribed, in offset order, with no gap and no duplicate. Contract: {@code LogContract}.
 */
public interface Log {

    /** Publishes text; returns its offset. */
    long publish(String topic, String text, Retention retention);

    /** Publishes the buffer's remaining bytes (the caller must not change them); returns its offset. */
    long publish(String topic, ByteBuffer data, Retention retention);

    /**
     * As {@link #publish(String, String, Retention)}, answered later: what a timer publishes (an arena's
     * frames to relaying servers) must not wait for the engine on the timer's thread. Publications
     * made one after another on this server keep their order. The future completes on the engine's
     * thread, exceptionally with {@link EngineUnavailableException}.
     */
    default java.util.concurrent.CompletableFuture<Long> publishLater(String topic, String text, Retention retention) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(publish(topic, text, retention));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Up to {@code limit} retained publications with an offset above {@code afterOffset}, oldest first. */
    History history(String topic, long afterOffset, int limit);

    /** Delivers publications made after this call. */
    Subscription subscribe(String topic, Subscriber subscriber);

    /**
     * Delivers the retained publications after {@code afterOffset} (at most {@code limit}), then
     * every later publication: a joiner or a resuming client gets history and live traffic with no
     * gap and no duplicate between them.
     */
    Subscription subscribe(String topic, Subscriber subscriber, long afterOffset, int limit);

    /** Subscribers of the topic on this server. */
    int subscribers(String topic);

    /**
     * Forgets a topic that has no subscribers and no members (rooms come and go; topics must not
     * accumulate): its history and counter are dropped and its next use starts a new epoch.
     */
    void release(String topic);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
