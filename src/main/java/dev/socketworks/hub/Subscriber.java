package dev.socketworks.hub;

import java.nio.ByteBuffer;

/**
 * Receives what is published to a topic. Delivery has two steps so that nothing calls into the
 * container while the topic is locked: {@link #text}/{@link #binary} run under the topic's lock and
 * must only enqueue (that fixes the order); {@link #flush} runs after the lock is released and may
 * start the actual send.
 */
public interface Subscriber {

    void text(String text);

    /** Each subscriber gets its own view of the buffer; it must not modify the bytes. */
    void binary(ByteBuffer data);

    /** Starts sending what was enqueued, if nothing is in flight. */
    void flush();
}
