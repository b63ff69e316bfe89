package dev.socketworks.inbound;

import java.util.function.LongSupplier;

/**
 * One connection's inbound rate: two token buckets, messages and bytes, filled at a steady rate up
 * to a burst. A message that finds either bucket short is refused; a client refused again and again
 * (more than a burst's worth of refusals, forgiven at a tenth of the rate) has stayed over the limit
 * and is to be closed. Not thread-safe: containers deliver one session's messages one at a time (a
 * budget handed from a closed connection to the next passes through a lock).
 */
public final class RateLimit {

    public enum Verdict {
        /** Within the rate: handle the message. */
        ALLOWED,
        /** Over the rate: drop the message (JSON services tell the client). */
        REFUSED,
        /** Over the rate for too long: close the connection. */
        EXCEEDED
    }

    private static final double NANOS_PER_SECOND = 1e9;

    private final double messagesPerNano;
    private final double bytesPerNano;
    private final double messageBurst;
    private final double byteBurst;
    private final LongSupplier nanoClock;

    private double messages;
    private double bytes;
    private double strikes;
    private long last;

    /**
     * @param maxMessageBytes the largest message a client may send: the byte burst always holds one,
     *                        so a single largest message is never refused by a full bucket
     */
    public RateLimit(long messagesPerSecond, long burst, long bytesPerSecond, long maxMessageBytes,
                     LongSupplier nanoClock) {
        this.messagesPerNano = messagesPerSecond / NANOS_PER_SECOND;
        this.bytesPerNano = bytesPerSecond / NANOS_PER_SECOND;
        this.messageBurst = burst;
        double burstSeconds = (double) burst / messagesPerSecond;
        this.byteBurst = Math.max(maxMessageBytes, bytesPerSecond * burstSeconds);
        this.nanoClock = nanoClock;
        this.messages = messageBurst;
        this.bytes = byteBurst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one message of {@code size} bytes from the buckets, if they hold enough. */
    public Verdict take(long size) {
        long now = nanoClock.getAsLong();
        long elapsed = Math.max(0, now - last);
        last = now;
        messages = Math.min(messageBurst, messages + elapsed * messagesPerNano);
        bytes = Math.min(byteBurst, bytes + elapsed * bytesPerNano);
        strikes = Math.max(0, strikes - elapsed * messagesPerNano / 10);
        if (messages >= 1 && bytes >= size) {
            messages -= 1;
            bytes -= size;
            return Verdict.ALLOWED;
        }
        strikes += 1;
        return strikes > messageBurst ? Verdict.EXCEEDED : Verdict.REFUSED;
    }

    /**
     * A message this limit let through ({@link #take} said ALLOWED) was refused by another one (its
     * address's budget): its tokens are given back and it counts as a refusal, so a connection kept over
     * its address's share is closed like one over its own rate.
     */
    public Verdict refusedElsewhere(long size) {
        messages = Math.min(messageBurst, messages + 1);
        bytes = Math.min(byteBurst, bytes + size);
        strikes += 1;
        return strikes > messageBurst ? Verdict.EXCEEDED : Verdict.REFUSED;
    }

    /** Whether refusals are still unforgiven: the client has been over the limit lately. */
    public boolean owesRefusals() {
        long now = nanoClock.getAsLong();
        return strikes - Math.max(0, now - last) * messagesPerNano / 10 > 0;
    }

    /** How long an empty message bucket takes to fill: one burst period. */
    public static long burstNanos(long messagesPerSecond, long burst) {
        return (long) (burst * NANOS_PER_SECOND / messagesPerSecond);
    }

    /** How long refusals take to be forgiven, from a whole burst of them: a flooder's penalty time. */
    public static long forgivenessNanos(long messagesPerSecond, long burst) {
        return (long) (burst * 10 * NANOS_PER_SECOND / messagesPerSecond);
    }
}
