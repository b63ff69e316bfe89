package dev.socketworks.hub;

/**
 * Receives a topic's publications, in offset order. Delivery has two steps so that an engine may
 * deliver under a lock without ever calling into the container there: {@link #deliver} must only
 * enqueue (that fixes the order); {@link #flush} runs with no lock held and may start the send.
 * Flushes may run on several threads at once (several publishers; the engine's sending threads): a
 * subscriber that acts on what it received in {@code flush} keeps its own order.
 */
public interface Subscriber {

    void deliver(Message message);

    /** Starts sending what was enqueued, if nothing is in flight. */
    void flush();

    /**
     * The engine lost part of the topic's state while this subscriber followed it: with
     * {@code historyLost}, its past (offsets restart in a new epoch, history and presence are gone);
     * without, only this server's presence entries (its link to the engine was down for longer than
     * other servers wait before removing a silent server's members). What the subscriber holds in
     * the topic (a name in its presence) must be claimed again. Same rules as {@link #deliver}:
     * enqueue only; {@link #flush} follows. The in-memory hub never loses state.
     */
    default void reset(boolean historyLost) {
    }

    /**
     * Whether this subscriber receives the topic's presence changes (publications with a
     * {@link Message#present() present} count), read once when it subscribes. A room's members say
     * no: one relay per room per server receives them and coalesces them for all, so a join costs
     * this server one delivery, not one per member (10,000 joiners cost 50 million).
     */
    default boolean receivesPresence() {
        return true;
    }
}
