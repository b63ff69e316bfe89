package dev.socketworks.inbound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Messages and bytes per second that several senders share, fairly: what all the connections from one
 * client address may send together (on top of each connection's own {@link RateLimit}: twenty
 * connections must not get twenty allowances), or what all the addresses speaking in one chat room may
 * send into it (each message there costs a delivery per member).
 *
 * <p>While the senders stay within the budget nothing is refused. Once a second has asked for more
 * than the budget, each sender may send in the next its max-min fair share: the "water level" computed
 * from what every sender asked for, below which every demand is met in full (with room to spare: twice
 * what it asked) while those above it split what is left. Only what a sender sends beyond its share
 * is refused, so a quiet chat member behind the same NAT as a flooder, or speaking in the room a
 * flooder targets, never loses a message. A sender is one {@link Share}; several callers may hold the
 * same one (an address's connections in a room).
 *
 * <p>A sender that asked for more than its share is also paced: its allowance comes as a token bucket
 * (a twentieth of it at once, at least {@value #MIN_BURST_MESSAGES} messages, the rest accruing through
 * the second), so the share it gets does not arrive as one burst, which in a chat room is a burst of
 * deliveries to every member that everyone else's messages wait behind. A budget made
 * {@linkplain #alwaysPaced always paced} (a chat room's) paces every sender from its first message: a
 * flooder reconnecting into a quiet second would otherwise take the whole second's budget at once
 * (110 messages in 200 ms, 12,000 deliveries in a 112-member room: a round of everyone else's
 * messages 100 ms late).
 */
public final class FairBudget {

    static final long WINDOW_NANOS = 1_000_000_000L;
    static final int FLOODED_SECONDS = 3;
    /** A paced sender may take this fraction of its allowance at once; the rest accrues through the second. */
    static final int PACE_SLICES = 20;
    /** But at least this many messages at once: a person sends a few lines in a row, never a flood. */
    static final int MIN_BURST_MESSAGES = 5;

    /** One sender's use of the budget. Guarded by the budget's lock. */
    public static final class Share {
        private final Object key;
        private int holders = 1;
        private long askedMessages;
        private long askedBytes;
        private long takenMessages;
        private long takenBytes;
        // What it may take this window once the address is over budget: its fair share, or for a
        // connection that asked no more than that, twice what it asked (a steady sender's count wobbles
        // by one from window to window; it must not be refused for that).
        private long messageAllowance = Long.MAX_VALUE;
        private long byteAllowance = Long.MAX_VALUE;
        // Asked for more than its share last second (or joined while the budget was contested).
        private boolean paced;
        // Its token bucket while paced: refilled at its allowance per second up to a twentieth of it.
        private double messageTokens = Double.NaN; // NaN: full
        private double byteTokens;
        private long refilledAt;

        private Share(Object key) {
            this.key = key;
        }
    }

    private final long messagesPerSecond;
    private final long bytesPerSecond;
    private final boolean alwaysPaced;
    private final LongSupplier nanoClock;
    // Guarded by this.
    private final Map<Object, Share> shares = new HashMap<>();
    private long windowStart;
    private long messagesTaken;
    private long bytesTaken;
    // What this second asked for in all, senders that left since included (one connection per chat room).
    private long messagesAsked;
    private long bytesAsked;
    private long messageLevel;
    private long byteLevel;
    private boolean contested; // the last second asked for more than the budget: shares apply from the start
    private int floodedSeconds; // consecutive seconds that asked for twice the budget or more
    private volatile boolean flooded; // floodedSeconds reached FLOODED_SECONDS: read on every message, without the lock

    /** Senders are paced only once they ask for more than their share (an address's connections together). */
    public FairBudget(long messagesPerSecond, long bytesPerSecond, LongSupplier nanoClock) {
        this(messagesPerSecond, bytesPerSecond, false, nanoClock);
    }

    /** Every sender paced from its first message (see the class comment): for a chat room's speakers. */
    public static FairBudget alwaysPaced(long messagesPerSecond, long bytesPerSecond, LongSupplier nanoClock) {
        return new FairBudget(messagesPerSecond, bytesPerSecond, true, nanoClock);
    }

    private FairBudget(long messagesPerSecond, long bytesPerSecond, boolean alwaysPaced, LongSupplier nanoClock) {
        this.messagesPerSecond = messagesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.alwaysPaced = alwaysPaced;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
        this.messageLevel = messagesPerSecond;
        this.byteLevel = bytesPerSecond;
    }

    /** A new sender. */
    public Share join() {
        return join(new Object());
    }

    /** The sender known by {@code key} (an address), shared with whoever joined under it before and has not left. */
    public synchronized Share join(Object key) {
        Share held = shares.get(key);
        if (held != null) {
            held.holders++;
            return held;
        }
        Share share = new Share(key);
        share.messageAllowance = messageLevel;
        share.byteAllowance = byteLevel;
        share.paced = contested;
        shares.put(key, share);
        return share;
    }

    /** One holder of {@code share} is gone; returns whether no sender is left. */
    public synchronized boolean leave(Share share) {
        if (--share.holders == 0) {
            shares.remove(share.key);
        }
        return shares.isEmpty();
    }

    /**
     * Whether its senders have asked for twice the budget or more for {@value #FLOODED_SECONDS} seconds
     * running: not a burst but a flood, whose new connections the caller may slow down.
     */
    public boolean flooded() {
        return flooded; // as of the last second that ended with a message (take rolls the window)
    }

    /** Whether one message of {@code bytes} from {@code share}'s connection may pass now; it is counted if so. */
    public boolean take(Share share, long bytes) {
        return take(share, bytes, 0);
    }

    /**
     * As {@link #take(Share, long)}; a paced sender may also send {@code burstMessages} at once (a chat
     * room allows what costs its members about a thousand deliveries: many lines in a small room, a
     * few in a large one).
     */
    public synchronized boolean take(Share share, long bytes, long burstMessages) {
        long now = roll();
        share.askedMessages++;
        share.askedBytes += bytes;
        messagesAsked++;
        bytesAsked += bytes;
        boolean overBudget = messagesTaken + 1 > messagesPerSecond || bytesTaken + bytes > bytesPerSecond;
        boolean shared = overBudget || contested;
        boolean withinShare = share.takenMessages + 1 <= share.messageAllowance && share.takenBytes + bytes <= share.byteAllowance;
        if (shared && !withinShare || (alwaysPaced || shared && share.paced) && !withinPace(share, bytes, now, burstMessages)) {
            return false;
        }
        messagesTaken++;
        bytesTaken += bytes;
        share.takenMessages++;
        share.takenBytes += bytes;
        return true;
    }

    /** Takes one message of {@code bytes} from the share's token bucket, if it holds them. */
    private static boolean withinPace(Share share, long bytes, long now, long burstMessages) {
        double messageCapacity = Math.max(Math.max(MIN_BURST_MESSAGES, burstMessages), (double) share.messageAllowance / PACE_SLICES);
        double byteCapacity = (double) share.byteAllowance / PACE_SLICES;
        if (Double.isNaN(share.messageTokens)) {
            share.messageTokens = messageCapacity;
            share.byteTokens = byteCapacity;
        } else {
            double seconds = (double) (now - share.refilledAt) / WINDOW_NANOS;
            share.messageTokens = Math.min(messageCapacity, share.messageTokens + share.messageAllowance * seconds);
            share.byteTokens = Math.min(byteCapacity, share.byteTokens + share.byteAllowance * seconds);
        }
        share.refilledAt = now;
        // A message larger than the bucket passes when the bucket is full, and leaves it in debt.
        if (share.messageTokens < 1 || share.byteTokens < Math.min(bytes, byteCapacity)) {
            return false;
        }
        share.messageTokens--;
        share.byteTokens -= bytes;
        return true;
    }

    /** Starts a new window when the current one is over; returns the time now. */
    private long roll() {
        long now = nanoClock.getAsLong();
        if (now - windowStart < WINDOW_NANOS) {
            return now;
        }
        boolean lastWindowOnly = now - windowStart < 2 * WINDOW_NANOS; // else the demand seen is stale: nobody asked
        List<Share> all = new ArrayList<>(shares.values());
        long[] messageDemand = new long[all.size()];
        long[] byteDemand = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Share share = all.get(i);
            messageDemand[i] = lastWindowOnly ? share.askedMessages : 0;
            byteDemand[i] = lastWindowOnly ? share.askedBytes : 0;
        }
        messageLevel = fairShare(messageDemand, messagesPerSecond);
        byteLevel = fairShare(byteDemand, bytesPerSecond);
        long lastMessagesAsked = lastWindowOnly ? messagesAsked : 0;
        long lastBytesAsked = lastWindowOnly ? bytesAsked : 0;
        contested = lastMessagesAsked > messagesPerSecond || lastBytesAsked > bytesPerSecond;
        boolean flooded = lastMessagesAsked >= 2 * messagesPerSecond || lastBytesAsked >= 2 * bytesPerSecond;
        floodedSeconds = flooded ? floodedSeconds + 1 : 0;
        this.flooded = floodedSeconds >= FLOODED_SECONDS;
        for (int i = 0; i < all.size(); i++) {
            Share share = all.get(i);
            share.messageAllowance = messageDemand[i] <= messageLevel ? Math.max(messageLevel, 2 * messageDemand[i]) : messageLevel;
            share.byteAllowance = byteDemand[i] <= byteLevel ? Math.max(byteLevel, 2 * byteDemand[i]) : byteLevel;
            share.paced = contested && (messageDemand[i] > messageLevel || byteDemand[i] > byteLevel);
            share.askedMessages = share.askedBytes = share.takenMessages = share.takenBytes = 0;
        }
        messagesTaken = 0;
        bytesTaken = 0;
        messagesAsked = 0;
        bytesAsked = 0;
        windowStart = now;
        return now;
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
