package dev.socketworks.hub;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Topics as ordered logs. Every publication on a topic gets the next {@code offset} (one more than
 * the last); a topic's {@code epoch} changes when its past is lost (a fresh server, an engine that
 * lost its data), so offsets are only compared within one epoch. Every operation is one the shared
 * engine can run atomically in one round trip: no caller code runs inside the hub.
 *
 * <p>Subscribers are local to this server and receive, per topic, every publication after they
 * subscribed, in offset order, with no gap and no duplicate. The in-memory implementation serves one
 * server; a shared engine takes its place (the same contract tests run against both).
 *
 * <p>A topic is used either as a log ({@link #publish}, presence) or as a {@link #add counter}.
 *
 * <p>A shared engine may be unreachable: then every call that needs it throws
 * {@link EngineUnavailableException} having changed nothing, except {@link #leave}, which is kept
 * and retried when the engine is back (a departed member must not stay listed).
 */
public interface Hub {

    /** This server's name: the owner of the presence entries it adds. */
    String node();

    /** Publishes text; returns its offset. */
    long publish(String topic, String text, Retention retention);

    /** Publishes the buffer's remaining bytes (the caller must not change them); returns its offset. */
    long publish(String topic, ByteBuffer data, Retention retention);

    /** Up to {@code limit} retained publications with an offset above {@code afterOffset}, oldest first. */
    History history(String topic, long afterOffset, int limit);

    /**
     * Adds {@code delta} to the topic's counter (0 in a new epoch) and publishes the new value as
     * decimal text; the publication's offset counts the changes (1 for the first of an epoch).
     */
    CounterChange add(String topic, long delta);

    /**
     * As {@link #add}, answered later: a shared engine pipelines the additions made one after another
     * on this server (in that order), so a producer does not wait a round trip per addition. The
     * future completes on the engine's thread, exceptionally with {@link EngineUnavailableException}.
     */
    default java.util.concurrent.CompletableFuture<CounterChange> addLater(String topic, long delta) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(add(topic, delta));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** What {@link #enter} and {@link #leave} return when they changed a user's holds but announced nothing. */
    long NOT_ANNOUNCED = Long.MIN_VALUE;

    /**
     * Adds {@code member} unless its key is present, and then publishes {@code announcement} (not
     * retained), in one atomic step. Returns what the caller's client needs to start its member list
     * (the members as of that offset), or empty when the key was taken (nothing changed).
     *
     * <p>An authenticated user's connections share one entry (Pusher's rule): when the member's
     * {@link Member#user user} already holds an entry (under this key or another), this adds one hold
     * on that entry for this server, announces nothing and returns it with {@link #NOT_ANNOUNCED}. The
     * entry stays until its last hold leaves.
     *
     * <p>Only the caller gets the list, and at most {@code listMax} of it: the announcement carries
     * none, so a join costs every other member O(1) bytes and a storm of n joins O(n) per member.
     */
    Optional<Entered> enter(String topic, Member member, String announcement, int listMax);

    /** As {@link #enter(String, Member, String, int)}, without the list: the offset alone. */
    default OptionalLong enter(String topic, Member member, String announcement) {
        return enter(topic, member, announcement, 0).map(e -> OptionalLong.of(e.offset())).orElse(OptionalLong.empty());
    }

    /**
     * What {@link #enter} did: the announcement's {@code offset} (or {@link #NOT_ANNOUNCED}), the entry
     * now held ({@code member}: the user's earlier one when it shared it), and the topic's members right
     * after: how many ({@code count}) and the first of them in entry order ({@code members}).
     */
    record Entered(long offset, Member member, int count, List<Member> members) {
        public Entered {
            members = List.copyOf(members);
        }
    }

    /**
     * Gives up one of this server's holds on the entry with {@code key}; when it was the entry's last,
     * removes the entry, publishing {@code announcement} as {@link #enter} does. Returns the offset,
     * {@link #NOT_ANNOUNCED} when other holds keep the entry, or empty when this server held none.
     */
    OptionalLong leave(String topic, String key, String announcement);

    /** The topic's members, in the order they entered. */
    List<Member> members(String topic);

    /** Delivers publications made after this call. */
    Subscription subscribe(String topic, Subscriber subscriber);

    /**
     * Delivers the retained publications after {@code afterOffset} (at most {@code limit}), then
     * every later publication: a joiner or a resuming client gets history and live traffic with no
     * gap and no duplicate between them.
     */
    Subscription subscribe(String topic, Subscriber subscriber, long afterOffset, int limit);

    /** For a counter: delivers its current value and offset first (0 and 0 before any change), then every change. */
    Subscription watch(String topic, Subscriber subscriber);

    /**
     * How to announce the removal of a member whose server is gone: when a server dies without
     * removing its members (kill -9, a lost network), another server removes them, once, from each
     * topic starting with {@code topicPrefix}, publishing what {@code announcement} returns as
     * {@link #leave} does. In one server's memory, members go with their server: never called.
     */
    default void onOrphans(String topicPrefix, java.util.function.Function<Member, String> announcement) {
    }

    /**
     * Takes or renews the lease {@code name} for this server for {@code ttl}; false while another
     * server holds it. One server at a time drives what the lease names (a shared timer); a holder
     * that dies loses it when {@code ttl} runs out. In one server's memory there is no other: always true.
     */
    default boolean lease(String name, java.time.Duration ttl) {
        return true;
    }

    /** Gives the lease up, if this server holds it, so another can take it at once. */
    default void releaseLease(String name) {
    }

    /** Whether a presence entry's owner is this server, in this life or an earlier one. */
    default boolean isThisServer(String node) {
        return node.equals(node());
    }

    /** Whether other servers share this hub (a shared engine), so that work can move between them. */
    default boolean shared() {
        return false;
    }

    /** Whether the engine can be reached now (always, in memory): a readiness check. */
    default boolean available() {
        return true;
    }

    /** Stops what the hub runs (connections, threads); at undeploy. */
    default void close() {
    }

    /** Places counted on every server sharing this hub (a user's connections). */
    Places places();

    /** Subscribers of the topic on this server. */
    int subscribers(String topic);

    /**
     * Forgets a topic that has no subscribers and no members (rooms come and go; topics must not
     * accumulate): its history and counter are dropped and its next use starts a new epoch.
     */
    void release(String topic);

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
