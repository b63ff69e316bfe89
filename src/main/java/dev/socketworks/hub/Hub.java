package dev.socketworks.hub;

import java.nio.ByteBuffer;

/**
 * Fan-out by topic (a room, a counter). Publishing to a topic delivers to every subscriber of it, and
 * every subscriber sees one topic's messages in the same order. The in-memory implementation serves
 * one server; a shared one (Redis) can take its place so several servers share topics.
 */
public interface Hub {

    /** Subscribes until the returned handle is closed. */
    Subscription subscribe(String topic, Subscriber subscriber);

    void publish(String topic, String text);

    void publish(String topic, ByteBuffer data);

    /** Subscribers of the topic on this server. */
    int subscribers(String topic);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
