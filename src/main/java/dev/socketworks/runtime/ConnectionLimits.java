package dev.socketworks.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections, in all and per client address, against {@code maxConnections} and
 * {@code maxConnectionsPerAddress}. {@link #check} is what the admission filter answers before the
 * upgrade (HTTP 503 or 429, at no cost); {@link #tryAdmit} is the exact count taken when a session
 * opens, which catches the handshakes that raced past the filter together.
 */
public final class ConnectionLimits {

    public enum Verdict { ADMITTED, SERVER_FULL, ADDRESS_FULL }

    private final long maxConnections;
    private final long maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    // Entries are removed when their count returns to zero, so the map holds only open addresses.
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(long maxConnections, long maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /** Whether one more connection from {@code address} would be admitted now; nothing is counted. */
    public Verdict check(String address) {
        if (total.get() >= maxConnections) {
            return Verdict.SERVER_FULL;
        }
        AtomicInteger count = perAddress.get(address);
        return count != null && count.get() >= maxPerAddress ? Verdict.ADDRESS_FULL : Verdict.ADMITTED;
    }

    /** Counts a connection from {@code address} if both limits allow it; else counts nothing. */
    public Verdict tryAdmit(String address) {
        if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            return Verdict.SERVER_FULL;
        }
        boolean[] admitted = new boolean[1];
        perAddress.compute(address, (key, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < maxPerAddress) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Verdict.ADDRESS_FULL;
        }
        return Verdict.ADMITTED;
    }

    /** Ends the count of one admitted connection from {@code address}. */
    public void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    public int open() {
        return total.get();
    }

    public int open(String address) {
        AtomicInteger count = perAddress.get(address);
        return count == null ? 0 : count.get();
    }
}
