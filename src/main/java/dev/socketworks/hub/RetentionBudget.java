package dev.socketworks.hub;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all topics' retained history may hold together, in bytes. Topics charge each message
 * they keep and refund it when they drop it. When a message would pass the limit, the budget first
 * asks for idle history to be dropped ({@code reclaim}); what is still missing the topic frees
 * from its own oldest messages.
 */
final class RetentionBudget {

    /** Frees about {@code wanted} bytes of other topics' history for {@code requester}. */
    interface Reclaim {
        void reclaim(long wanted, Object requester);
    }

    private final long maxBytes;
    private final Reclaim reclaim;
    private final AtomicLong used = new AtomicLong();

    RetentionBudget(long maxBytes, Reclaim reclaim) {
        this.maxBytes = maxBytes;
        this.reclaim = reclaim;
    }

    /** Charges {@code bytes}; false (nothing charged) when they do not fit even after reclaiming. */
    boolean tryCharge(long bytes, Object requester) {
        if (charge(bytes)) {
            return true;
        }
        reclaim.reclaim(bytes, requester);
        return charge(bytes);
    }

    private boolean charge(long bytes) {
        return used.getAndUpdate(now -> now + bytes <= maxBytes ? now + bytes : now) + bytes <= maxBytes;
    }

    void refund(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
