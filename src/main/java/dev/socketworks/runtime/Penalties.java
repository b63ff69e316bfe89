package dev.socketworks.runtime;

import java.util.LinkedHashMap;

/**
 * Addresses whose connection was just closed for flooding. Reconnecting must not be a way around
 * the rate limit: for as long as the closed client's refusals take to be forgiven, a connection from
 * its address starts with no burst and no refusals to spare, and the address may open only one
 * connection per burst period (the others get HTTP 429 before any WebSocket work: a handshake is the
 * dearest thing a flooder can make the server do).
 */
public final class Penalties {

    /** Bounds what addresses with many names (an IPv6 block) can make this list hold. */
    static final int MAX_ADDRESSES = 10_000;

    private static final class Penalty {
        final long until;
        long nextConnection;

        Penalty(long until, long nextConnection) {
            this.until = until;
            this.nextConnection = nextConnection;
        }
    }

    private final long durationNanos;
    private final long connectionIntervalNanos;
    // Oldest first, so the bound drops the penalty closest to its end. Guarded by this.
    private final LinkedHashMap<String, Penalty> penalties = new LinkedHashMap<>();

    /**
     * @param durationNanos           how long a penalty lasts
     * @param connectionIntervalNanos while it lasts, at most one new connection per this interval
     */
    public Penalties(long durationNanos, long connectionIntervalNanos) {
        this.durationNanos = durationNanos;
        this.connectionIntervalNanos = connectionIntervalNanos;
    }

    /** A connection from {@code address} was closed for flooding at {@code now}. */
    public synchronized void penalize(String address, long now) {
        penalties.remove(address);
        penalties.put(address, new Penalty(now + durationNanos, now + connectionIntervalNanos));
        if (penalties.size() > MAX_ADDRESSES) {
            penalties.remove(penalties.keySet().iterator().next());
        }
    }

    /** Whether {@code address} is penalized at {@code now}: its connections start without a burst. */
    public synchronized boolean isPenalized(String address, long now) {
        return current(address, now) != null;
    }

    /**
     * Whether {@code address} may open a connection at {@code now}; when it is penalized, this takes
     * its one connection of the interval.
     */
    public synchronized boolean mayConnect(String address, long now) {
        Penalty penalty = current(address, now);
        if (penalty == null) {
            return true;
        }
        if (now - penalty.nextConnection < 0) {
            return false;
        }
        penalty.nextConnection = now + connectionIntervalNanos;
        return true;
    }

    private Penalty current(String address, long now) {
        Penalty penalty = penalties.get(address);
        if (penalty != null && now - penalty.until >= 0) {
            penalties.remove(address);
            return null;
        }
        return penalty;
    }
}
