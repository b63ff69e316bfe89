package dev.socketworks.hub;

import java.time.Duration;

/**
 * The hub's lease role: one server at a time drives what a lease names (a shared timer, an arena).
 * A holder that dies loses it when its time to live runs out. In one server's memory there is no
 * other server: every lease is this one's. Contract: {@code LeaseContract}.
 */
public interface Leases {

    /** Takes or renews the lease {@code name} for this server for {@code ttl}; false while another server holds it. */
    default boolean lease(String name, Duration ttl) {
        return true;
    }

    /** Gives the lease up, if this server holds it, so another can take it at once. */
    default void releaseLease(String name) {
    }
}
