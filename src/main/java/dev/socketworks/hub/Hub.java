package dev.socketworks.hub;

/**
 * The engine the services share, made of small roles, each with its own contract test run on memory,
 * Redis and Redis Cluster: a {@link Log} (ordered topics with history), {@link Presence} (who is in a
 * topic, each change announced on its log), a {@link Counter}, {@link Leases}, {@link Liveness} (which
 * servers are alive), {@link Revocations} (users whose earlier credentials are refused) and {@link Places}
 * (counts across servers). Every operation is one the shared engine runs atomically in one round
 * trip: no caller code runs inside the hub. The in-memory implementation serves one server; a shared
 * engine (Redis) takes its place for several.
 *
 * <p>A topic is used either as a log (publications and presence) or as a counter.
 *
 * <p>A shared engine may be unreachable: then every call that needs it throws
 * {@link EngineUnavailableException} having changed nothing, except {@link #leave}, which is kept
 * and retried when the engine is back (a departed member must not stay listed).
 */
public interface Hub extends Log, Presence, Counter, Leases, Liveness, Revocations {

    /** Places counted on every server sharing this hub (a user's connections). */
    Places places();

    /** Whether other servers share this hub (a shared engine), so that work can move between them. */
    default boolean shared() {
        return false;
    }

    /** What the shared engine reports about itself (round trips, reconnects, catch-ups); null in memory. */
    default EngineStats stats() {
        return null;
    }

    /** Whether the engine can be reached now (always, in memory): a readiness check. */
    default boolean available() {
        return true;
    }

    /** Stops what the hub runs (connections, threads); at undeploy. */
    default void close() {
    }
}
