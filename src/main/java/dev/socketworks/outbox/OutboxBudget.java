package dev.socketworks.outbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes every outbox together may hold queued. Each outbox is bounded on its own
 * ({@code outboxMaxBytes}), but thousands of clients that stop reading, each just under its own
 * bound, would hold far more than the heap: past this budget, an outbox that already holds more than
 * {@link #FLOOR_BYTES} is cut as a slow consumer instead of growing. A client that keeps up (its
 * queue under the floor) always gets its next message, so a full budget costs only those behind;
 * what the floor lets through past the budget is bounded by the floor times the connection cap.
 */
public final class OutboxBudget {

    /** What any outbox may queue whatever the others hold: a client that keeps up is never cut for them. */
    public static final long FLOOR_BYTES = 16 * 1024;

    /** No budget: each outbox is bounded only by its own limits. */
    public static final OutboxBudget UNLIMITED = new OutboxBudget(Long.MAX_VALUE);

    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public OutboxBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes {@code bytes} for an outbox that holds {@code queuedBytes} now: true if they fit the budget,
     * or fit the floor of an outbox that holds little.
     */
    boolean tryCharge(long bytes, long queuedBytes) {
        if (queuedBytes + bytes <= FLOOR_BYTES) {
            used.addAndGet(bytes);
            return true;
        }
        return used.getAndUpdate(now -> now + bytes <= maxBytes ? now + bytes : now) + bytes <= maxBytes;
    }

    /** Takes {@code bytes} whether or not they fit (one message to an empty outbox always goes). */
    void charge(long bytes) {
        used.addAndGet(bytes);
    }

    void refund(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    /** Bytes held by every outbox together now. */
    public long used() {
        return used.get();
    }

    public long maxBytes() {
        return maxBytes;
    }
}
