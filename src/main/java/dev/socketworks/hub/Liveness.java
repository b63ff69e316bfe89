package dev.socketworks.hub;

/**
 * The hub's server-liveness role: which servers sharing the hub are alive. One answer for every part
 * that must act when a server dies: its presence entries are removed (by the first live server to
 * claim the clean-up), and an arena drops the seats it relayed. A server is alive while it renews its
 * mark in the engine; silent for {@code nodeDeadAfterMs}, it is dead, and it takes a new identity if
 * it comes back (its old one stays dead). Leases are not built on it: a lease is checked and renewed
 * in one atomic step where it is kept, which a mark kept elsewhere (another slot of a Redis Cluster)
 * cannot join. Contract: {@code LivenessContract}.
 */
public interface Liveness {

    /**
     * Whether the server known as {@code node} (its {@link Presence#node() node} there) is alive: this
     * server always is; in one server's memory no other exists. A shared engine may be asked: an engine
     * call, which throws {@link EngineUnavailableException} when it cannot answer.
     */
    boolean isAlive(String node);

    /**
     * The servers alive now, this one first: who a question put to every server waits for. An
     * engine call where servers share one ({@link EngineUnavailableException} when it cannot answer).
     */
    java.util.List<String> servers();
}
