package dev.socketworks.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The {@code sw-ack} delivery confirmation, without the sending. Some containers (Tyrus: Payara,
 * GlassFish) report a send complete as soon as they have buffered it, whether or not the client
 * reads, so "one send in flight" alone would let them buffer without bound for a stalled client.
 * After every quarter of the window handed to the container, a ping carrying the running byte count
 * and an unguessable nonce goes out; the client's pong, which it can only send after reading
 * everything before the ping, confirms those bytes. Once a whole window is unconfirmed, data must
 * wait (pings still go) until a pong makes room.
 *
 * <p>Not thread-safe: the outbox calls it under its own lock.
 */
final class DeliveryConfirmation {

    /** Confirming pings carry "sw-ack:<byte count>:<nonce>"; heartbeat pings carry digits only. */
    static final String MARK_PREFIX = "sw-ack:";
    /** A window holds about five marks; the rest is slack for pongs that come late. */
    static final int MAX_OUTSTANDING_MARKS = 16;

    /** {@code publishedAt}: the newest publication handed over before the mark (0: none), whose lag its pong confirms. */
    private record Mark(long count, long nonce, long publishedAt) {
        boolean answers(Mark pong) {
            return count == pong.count && nonce == pong.nonce;
        }
    }

    private final long markEveryBytes;
    private final long windowBytes;
    private final LongSupplier nonces;
    private final ArrayDeque<Mark> outstanding = new ArrayDeque<>();
    private long handedOver;
    private long confirmed;
    private long lastMark;
    private long newestPublishedAt; // of what was handed over
    private long confirmedPublishedAt; // of the last mark a pong answered, until taken

    /** @param nonces unguessable values (a SecureRandom): a client cannot confirm what it has not read */
    DeliveryConfirmation(long windowBytes, LongSupplier nonces) {
        this.windowBytes = windowBytes;
        this.markEveryBytes = Math.max(1, windowBytes / 4);
        this.nonces = nonces;
    }

    /** The container accepted {@code bytes} of data. */
    void handedOver(long bytes) {
        handedOver += bytes;
    }

    /** As {@link #handedOver(long)}, for a publication published at {@code publishedAt} (epoch ms; 0 unknown). */
    void handedOver(long bytes, long publishedAt) {
        handedOver += bytes;
        newestPublishedAt = Math.max(newestPublishedAt, publishedAt);
    }

    /** When the newest publication the last answered mark confirmed was published (0: none), once. */
    long takeConfirmedPublishedAt() {
        long at = confirmedPublishedAt;
        confirmedPublishedAt = 0;
        return at;
    }

    /** The payload of a confirming ping to send before any more data, or null when none is due. */
    ByteBuffer markDue() {
        if (handedOver - lastMark < markEveryBytes) {
            return null;
        }
        lastMark = handedOver;
        Mark mark = new Mark(handedOver, nonces.getAsLong(), newestPublishedAt);
        newestPublishedAt = 0;
        if (outstanding.size() == MAX_OUTSTANDING_MARKS) {
            outstanding.removeFirst();
        }
        outstanding.addLast(mark);
        return ByteBuffer.wrap((MARK_PREFIX + mark.count() + ":" + mark.nonce()).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether data may be handed over now: less than a window is unconfirmed. */
    boolean mayHandOverData() {
        return handedOver - confirmed < windowBytes;
    }

    /**
     * A pong's payload. Returns true when it confirmed more bytes than before (data may flow again);
     * pongs that are not ours (the heartbeat's), forged, or already answered change nothing.
     */
    boolean pong(ByteBuffer data) {
        Mark pong = parse(data);
        Mark answered = pong == null ? null : outstanding.stream().filter(m -> m.answers(pong)).findFirst().orElse(null);
        if (answered == null) {
            return false;
        }
        outstanding.remove(answered);
        outstanding.removeIf(m -> m.count() <= answered.count()); // answered by implication
        if (answered.count() <= confirmed) {
            return false;
        }
        confirmed = answered.count();
        confirmedPublishedAt = answered.publishedAt();
        return true;
    }

    long unconfirmed() {
        return handedOver - confirmed;
    }

    private static Mark parse(ByteBuffer data) {
        String text = StandardCharsets.US_ASCII.decode(data.duplicate()).toString();
        if (!text.startsWith(MARK_PREFIX)) {
            return null;
        }
        String[] parts = text.substring(MARK_PREFIX.length()).split(":", -1);
        try {
            return parts.length == 2 ? new Mark(Long.parseLong(parts[0]), Long.parseLong(parts[1]), 0) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
