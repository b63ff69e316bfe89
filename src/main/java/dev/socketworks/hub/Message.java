package dev.socketworks.hub;

import java.nio.ByteBuffer;

/**
 * One publication on a topic, as subscribers receive it: its place in the topic's log ({@code epoch}
 * and {@code offset}) and its payload, text or binary. A presence change carries its announcement and how many
 * members the topic has after it ({@code present}; -1 for any other publication): the member list
 * goes to the one who entered ({@link Hub.Entered}), never to every subscriber. {@code publishedAt}
 * is when the publishing server published it (its clock, epoch milliseconds; 0 when unknown, for
 * presence changes, counters and history read back): what the delivery lag is measured from.
 */
public record Message(String topic, String epoch, long offset, String text, ByteBuffer data, int present, long publishedAt) {

    public Message(String topic, String epoch, long offset, String text, ByteBuffer data) {
        this(topic, epoch, offset, text, data, -1, 0);
    }

    public Message(String topic, String epoch, long offset, String text, ByteBuffer data, int present) {
        this(topic, epoch, offset, text, data, present, 0);
    }

    /** As published at {@code publishedAt}, the publishing server's clock in epoch milliseconds. */
    static Message published(String topic, String epoch, long offset, String text, ByteBuffer data, long publishedAt) {
        return new Message(topic, epoch, offset, text, data, -1, publishedAt);
    }

    /**
     * {@code data} is kept as given, not as a read-only view: containers may need its backing array
     * (Liberty's send fails on a read-only buffer). Nobody may change its bytes once published.
     */
    static Message text(String topic, String epoch, long offset, String text) {
        return new Message(topic, epoch, offset, text, null);
    }

    public boolean isBinary() {
        return data != null;
    }

    /** A view of its own for each caller: subscribers may read it concurrently. */
    @Override
    public ByteBuffer data() {
        return data == null ? null : data.duplicate();
    }

    /** What keeping the message in history costs: its payload (2 bytes per char) plus bookkeeping. */
    long retainedBytes() {
        return (data != null ? data.remaining() : 2L * text.length()) + 64;
    }
}
