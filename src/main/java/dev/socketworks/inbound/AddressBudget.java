package dev.socketworks.inbound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What all the connections from one client address may send together, in messages and bytes per
 * second, on top of each connection's own {@link RateLimit}: one address opening twenty connections
 * must not get twenty allowances. Shared fairly, so that a NAT's well-behaved clients are not starved
 * by a flooder behind the same address: while the address stays within its budget nothing is refused;
 * once it is over, a connection may still send its max-min fair share (the "water level" computed
 * from what every connection asked for in the previous second: those asking less than the level get
 * all they ask, with room to spare, the rest split what is left), and only what a connection sends
 * beyond its share is refused. A quiet chat member behind the same NAT as a flooder therefore never loses a message.
 */
public final class AddressBudget {

    static final long WINDOW_NANOS = 1_000_000_000L;

    /** One connection's use of the budget. Guarded by the budget's lock. */
    public static final class Share {
        private long askedMessages;
        private long askedBytes;
        private long takenMessages;
        private long takenBytes;
        // What it may take this window once the address is over budget: its fair share, or for a
        // connection that asked no more than that, twice what it asked (a steady sender's count wobbles
        // by one from window to window; it must not be refused for that).
        private long messageAllowance = Long.MAX_VALUE;
        private long byteAllowance = Long.MAX_VALUE;
    }

    private final long messagesPerSecond;
    private final long bytesPerSecond;
    private final LongSupplier nanoClock;
    // Guarded by this.
    private final List<Share> shares = new ArrayList<>();
    private long windowStart;
    private long messagesTaken;
    private long bytesTaken;
    private long messageLevel;
    private long byteLevel;

    public AddressBudget(long messagesPerSecond, long bytesPerSecond, LongSupplier nanoClock) {
        this.messagesPerSecond = messagesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
        this.messageLevel = messagesPerSecond;
        this.byteLevel = bytesPerSecond;
    }

    public synchronized Share join() {
        Share share = new Share();
        share.messageAllowance = messageLevel;
        share.byteAllowance = byteLevel;
        shares.add(share);
        return share;
    }

    /** The connection closed; returns whether no connection of the address is left. */
    public synchronized boolean leave(Share share) {
        shares.remove(share);
        return shares.isEmpty();
    }

    /** Whether one message of {@code bytes} from {@code share}'s connection may pass now; it is counted if so. */
    public synchronized boolean take(Share share, long bytes) {
        roll();
        share.askedMessages++;
        share.askedBytes += bytes;
        boolean overBudget = messagesTaken + 1 > messagesPerSecond || bytesTaken + bytes > bytesPerSecond;
        boolean withinShare = share.takenMessages + 1 <= share.messageAllowance && share.takenBytes + bytes <= share.byteAllowance;
        if (overBudget && !withinShare) {
            return false;
        }
        messagesTaken++;
        bytesTaken += bytes;
        share.takenMessages++;
        share.takenBytes += bytes;
        return true;
    }

    private void roll() {
        long now = nanoClock.getAsLong();
        if (now - windowStart < WINDOW_NANOS) {
            return;
        }
        boolean lastWindowOnly = now - windowStart < 2 * WINDOW_NANOS; // else the demand seen is stale: nobody asked
        long[] messageDemand = new long[shares.size()];
        long[] byteDemand = new long[shares.size()];
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            messageDemand[i] = lastWindowOnly ? share.askedMessages : 0;
            byteDemand[i] = lastWindowOnly ? share.askedBytes : 0;
        }
        messageLevel = fairShare(messageDemand, messagesPerSecond);
        byteLevel = fairShare(byteDemand, bytesPerSecond);
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            share.messageAllowance = messageDemand[i] <= messageLevel ? Math.max(messageLevel, 2 * messageDemand[i]) : messageLevel;
            share.byteAllowance = byteDemand[i] <= byteLevel ? Math.max(byteLevel, 2 * byteDemand[i]) : byteLevel;
            share.askedMessages = share.askedBytes = share.takenMessages = share.takenBytes = 0;
        }
        messagesTaken = 0;
        bytesTaken = 0;
        windowStart = now;
    }

    /**
     * The max-min fair share of {@code budget} among {@code demands}: the level below which every demand
     * is met in full while those above it get the level. When everything fits, the largest demand (so
     * nobody who fitted is refused) but at least an equal split (so one who was quiet may start).
     */
    static long fairShare(long[] demands, long budget) {
        if (demands.length == 0) {
            return budget;
        }
        long[] sorted = demands.clone();
        Arrays.sort(sorted);
        long remaining = budget;
        for (int i = 0; i < sorted.length; i++) {
            long equalSplit = remaining / (sorted.length - i);
            if (sorted[i] > equalSplit) {
                return Math.max(1, equalSplit);
            }
            remaining -= sorted[i];
        }
        return Math.max(sorted[sorted.length - 1], Math.max(1, budget / sorted.length));
    }
}
