package dev.socketworks.outbox;

/**
 * What an outbox tells the deployment's metrics: each message sent, and a slow consumer cut. Called on
 * the sending path, so an implementation only counts (no lock, no allocation).
 */
public interface OutboxMeter {

    OutboxMeter NONE = new OutboxMeter() {
        @Override
        public void sent(long bytes) {
        }

        @Override
        public void cutSlow() {
        }
    };

    /** A text or binary message was handed to the network ({@code bytes}: its UTF-8 or binary length). */
    void sent(long bytes);

    /** The client fell too far behind and is being closed with 1008 "slow consumer". */
    void cutSlow();

    /** A publication's send completed {@code lagMillis} after it was published (the publisher's clock). */
    default void delivered(long lagMillis) {
    }

    /** The client's sw-ack pong confirmed it read a publication {@code lagMillis} after it was published. */
    default void confirmed(long lagMillis) {
    }
}
