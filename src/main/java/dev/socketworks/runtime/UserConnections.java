package dev.socketworks.runtime;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Places;

/**
 * Open connections per authenticated user against {@code maxConnectionsPerUser}, counted as the
 * hub's {@link Places}: on every server together when they share an engine. While the engine cannot
 * be reached, each server caps on its own what opens meanwhile: a user is never locked out by an
 * outage, and still cannot open without bound.
 */
final class UserConnections {

    private final Places places;
    private final int max;
    private final ConnectionLimits whileEngineAway;

    UserConnections(Places places, int max) {
        this.places = places;
        this.max = max;
        this.whileEngineAway = new ConnectionLimits(Long.MAX_VALUE, max);
    }

    /** Whether the user may open one more now: the admission filter's answer before the upgrade (429); nothing counted. */
    boolean mayOpen(String user) {
        try {
            return places.held(user) < max;
        } catch (EngineUnavailableException e) {
            return whileEngineAway.check(user) == ConnectionLimits.Verdict.ADMITTED;
        }
    }

    /** Counts one more connection of the user; what gives it back, or null when the user has {@code max} open. */
    Runnable open(String user) {
        try {
            return places.take(user, max) ? () -> places.giveBack(user) : null;
        } catch (EngineUnavailableException e) {
            return whileEngineAway.tryAdmit(user) == ConnectionLimits.Verdict.ADMITTED ? () -> whileEngineAway.release(user) : null;
        }
    }
}
