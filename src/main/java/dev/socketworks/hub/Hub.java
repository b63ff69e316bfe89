package dev.socketworks.hub;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fan-out by topic (a room, a counter). Publishing to a topic delivers to every subscriber of it, and
 * every subscriber sees one topic's messages in the same order. The in-memory implementation serves
 * one server; a shared one (Redis) can take its place so several servers share topics.
 */
public interface Hub {

    /** Subscribes until the returned handle is closed. */
    Subscription subscribe(String topic, Subscriber subscriber);

    /**
     * Subscribes and gives the subscriber {@code welcome}'s messages first, computed under the same
     * lock as publications: a joiner sees the current state (a total, a room's history) and then
     * every later change, with no gap and no duplicate.
     */
    Subscription subscribe(String topic, Subscriber subscriber, Supplier<List<String>> welcome);

    void publish(String topic, String text);

    /**
     * Runs {@code change} under the topic's lock and publishes the texts it returns, in order (none
     * when it returns an empty list). For shared state whose changes must reach every subscriber in
     * the order they were made (a running total, a room's history).
     */
    void publishComputed(String topic, Supplier<List<String>> change);

    void publish(String topic, ByteBuffer data);

    /** Subscribers of the topic on this server. */
    int subscribers(String topic);

    /**
     * Frees what the hub holds for a topic that has no subscribers (rooms come and go; their topics
     * must not accumulate). The caller guarantees nobody subscribes or publishes to it meanwhile.
     */
    void release(String topic);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
