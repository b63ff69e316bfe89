package dev.socketworks.chat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * The memory all rooms' histories may hold together, in bytes. Rooms charge each entry when they
 * keep it and refund it when they drop it. When a new entry would pass the limit, the budget first
 * asks for idle rooms to be dropped ({@code reclaim}, given the bytes wanted, answering the bytes
 * freed); what is still missing the room frees from its own oldest entries.
 */
final class HistoryBudget {

    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private volatile LongUnaryOperator reclaim = wanted -> 0;

    HistoryBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    static HistoryBudget unlimited() {
        return new HistoryBudget(Long.MAX_VALUE);
    }

    void reclaimWith(LongUnaryOperator reclaim) {
        this.reclaim = reclaim;
    }

    /** Charges {@code bytes}; false (nothing charged) when they do not fit even after reclaiming. */
    boolean tryCharge(long bytes) {
        if (charge(bytes)) {
            return true;
        }
        reclaim.applyAsLong(bytes);
        return charge(bytes);
    }

    private boolean charge(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > maxBytes) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void refund(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }

    long maxBytes() {
        return maxBytes;
    }
}
