package dev.socketworks.hub;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The hub's presence role: who is in a topic, one entry per key, each change announced on the
 * topic's log (at its next offset, not retained) in the same atomic step. Presence needs the topic's
 * offsets, so an implementation serves both roles on the same topics. Contract: {@code PresenceContract}.
 */
public interface Presence {

    /** This server's name: the owner of the presence entries it adds. */
    String node();

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
     * after: how many ({@code count}) and the first of them in entry order ({@code members}), as of
     * the topic's offset {@code asOf} (the announcement's, when there was one): the changes after it
     * bring the list up to date.
     */
    record Entered(long offset, Member member, int count, List<Member> members, long asOf) {
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

    /**
     * How to announce the removal of a member whose server is gone: when a server dies without
     * removing its members (kill -9, a lost network), another server removes them, once, from each
     * topic starting with {@code topicPrefix}, publishing what {@code announcement} returns as
     * {@link #leave} does. In one server's memory, members go with their server: never called.
     */
    default void onOrphans(String topicPrefix, java.util.function.Function<Member, String> announcement) {
    }

    /** Whether a presence entry's owner is this server, in this life or an earlier one. */
    default boolean isThisServer(String node) {
        return node.equals(node());
    }

}
