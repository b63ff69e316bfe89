package dev.socketworks.runtime;

import dev.socketworks.inbound.RateLimit;

import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * What an address's closed connections leave behind, so that reconnecting is no way around the rate
 * limit. The rate budget (tokens and unforgiven refusals) of a connection that was over the limit is
 * kept for its address when it closes, and the next connection from that address continues from it,
 * as refilled since, instead of starting with a fresh burst and a fresh allowance of refusals. A
 * budget is forgotten once it would have refilled and forgiven everything anyway; connections that
 * never went over leave nothing, so clients behind one address (a NAT) that behave never share a
 * budget. An address closed for flooding may also open only one connection per burst period for that
 * long (the others get HTTP 429 before any WebSocket work: a handshake is the dearest thing a flooder
 * can make the server do).
 */
public final class FloodMemory {

    /** Bounds what addresses with many names (an IPv6 block) can make each list hold. */
    static final int MAX_ADDRESSES = 10_000;

    private record Budget(RateLimit rate, long forgetAt) {
    }

    private static final class Penalty {
        final long until;
        long nextConnection;

        Penalty(long until, long nextConnection) {
            this.until = until;
            this.nextConnection = nextConnection;
        }
    }

    private final long memoryNanos;
    private final long connectionIntervalNanos;
    // Oldest first, so the bounds drop what is closest to being forgotten. Guarded by this.
    private final LinkedHashMap<String, Budget> budgets = new LinkedHashMap<>();
    private final LinkedHashMap<String, Penalty> penalties = new LinkedHashMap<>();

    /**
     * @param memoryNanos             how long a budget and a penalty are kept
     * @param connectionIntervalNanos a penalized address may open one connection per this interval
     */
    public FloodMemory(long memoryNanos, long connectionIntervalNanos) {
        this.memoryNanos = memoryNanos;
        this.connectionIntervalNanos = connectionIntervalNanos;
    }

    /** The budget the address's last closed connection left, or {@code fresh} when none is kept. */
    public synchronized RateLimit budgetFor(String address, long now, Supplier<RateLimit> fresh) {
        Budget left = budgets.remove(address);
        return left != null && now - left.forgetAt < 0 ? left.rate() : fresh.get();
    }

    /** A connection from {@code address} closed with {@code rate} as its budget. */
    public synchronized void closed(String address, RateLimit rate, long now) {
        if (!rate.owesRefusals()) {
            return;
        }
        budgets.remove(address);
        budgets.put(address, new Budget(rate, now + memoryNanos));
        trim(budgets);
    }

    /** A connection from {@code address} was closed for flooding at {@code now}. */
    public synchronized void penalize(String address, long now) {
        penalties.remove(address);
        penalties.put(address, new Penalty(now + memoryNanos, now + connectionIntervalNanos));
        trim(penalties);
    }

    /**
     * Whether {@code address} may open a connection at {@code now}; when it is penalized, this takes
     * its one connection of the interval.
     */
    public synchronized boolean mayConnect(String address, long now) {
        Penalty penalty = penalties.get(address);
        if (penalty == null) {
            return true;
        }
        if (now - penalty.until >= 0) {
            penalties.remove(address);
            return true;
        }
        if (now - penalty.nextConnection < 0) {
            return false;
        }
        penalty.nextConnection = now + connectionIntervalNanos;
        return true;
    }

    private static void trim(LinkedHashMap<String, ?> map) {
        if (map.size() > MAX_ADDRESSES) {
            map.remove(map.keySet().iterator().next());
        }
    }
}
