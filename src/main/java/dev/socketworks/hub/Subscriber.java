package dev.socketworks.hub;

/**
 * Receives a topic's publications, in offset order. Delivery has two steps so that an engine may
 * deliver under a lock without ever calling into the container there: {@link #deliver} must only
 * enqueue (that fixes the order); {@link #flush} runs with no lock held and may start the send.
 */
public interface Subscriber {

    void deliver(Message message);

    /** Starts sending what was enqueued, if nothing is in flight. */
    void flush();
}
