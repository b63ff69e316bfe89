package dev.socketworks.chat;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Member;
import dev.socketworks.hub.Retention;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.inbound.FairBudget;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * One chat room: a topic on the hub. Its members are the topic's presence, its event ids the
 * topic's offsets and its history the topic's retained chat messages, so every member sees the same
 * order of events, and a joiner's history replay and its first live message meet with no gap and no
 * duplicate. A room holds no state of its own: several servers sharing a hub share the room.
 */
public final class Room {

    /** Every room's topic starts so: the presence of dead servers is announced with chat-leave there. */
    static final String TOPIC_PREFIX = "chat/";

    /**
     * What one sender's burst may cost the members here at once: a round of the benchmark's ten speakers
     * in a 100-member room. A flooder reconnecting used to post 110 messages in 200 ms, 12,000 deliveries
     * that everyone's next messages waited 100 ms behind.
     */
    static final int BURST_DELIVERIES = 1000;

    /** Attempts at a unique name when other joiners take each candidate first. */
    private static final int NAME_ATTEMPTS = 100;

    private final String name;
    // Every message costs a delivery per member: the room takes at most so many a second, shared
    // fairly among the addresses speaking, so a flooder with many connections gets only its share.
    private final FairBudget speaking;
    private final String topic;
    private final Hub hub;
    private final Retention history;
    private final Clock clock;
    private final RandomGenerator random;
    private final PresenceBatches presence;

    /** @param history how many chat messages (and bytes of them) joiners and resumes may replay */
    Room(String name, Hub hub, Retention history, Clock clock, RandomGenerator random) {
        this(name, hub, history, clock, random, 0);
    }

    /** @param messagesPerSecond what the room takes from all its speakers together on this server (0: no budget) */
    Room(String name, Hub hub, Retention history, Clock clock, RandomGenerator random, long messagesPerSecond) {
        this(name, hub, history, clock, random, messagesPerSecond, PresenceBatches.unbatched());
    }

    /** @param presence how this server coalesces the room's joins and leaves for its members */
    Room(String name, Hub hub, Retention history, Clock clock, RandomGenerator random, long messagesPerSecond,
         PresenceBatches presence) {
        this.presence = presence;
        this.speaking = messagesPerSecond > 0 ? FairBudget.alwaysPaced(messagesPerSecond, Long.MAX_VALUE / 4, System::nanoTime) : null;
        this.name = name;
        this.topic = TOPIC_PREFIX + name;
        this.hub = hub;
        this.history = history;
        this.clock = clock;
        this.random = random;
    }

    public String name() {
        return name;
    }

    /**
     * The share of the room's budget of the sender known by {@code key} (its client address: the
     * connections of one address share one), or null when the room has no budget. Give it back with
     * {@link #stopSpeaking}.
     */
    FairBudget.Share speaker(Object key) {
        return speaking == null ? null : speaking.join(key);
    }

    /**
     * Whether one more message from {@code share}'s sender fits the room's budget now (counted if so).
     * At once a sender may post what costs this server's members about {@value #BURST_DELIVERIES}
     * deliveries (at least a few lines); the rest is paced through the second.
     */
    boolean mayPost(FairBudget.Share share) {
        if (share == null) {
            return true;
        }
        long burst = BURST_DELIVERIES / Math.max(1, hub.subscribers(topic)); // read before the budget's lock is taken
        return speaking.take(share, 1, burst);
    }

    void stopSpeaking(FairBudget.Share share) {
        if (share != null) {
            speaking.leave(share);
        }
    }

    String topic() {
        return topic;
    }

    /**
     * A member's feed: its subscription to the room's topic, which brings no presence changes, and the
     * room's relay on this server, which tells it when to fetch them.
     */
    interface Feed extends Subscriber, PresenceBatches.Recipient {
        @Override
        default boolean receivesPresence() {
            return false;
        }
    }

    /** Subscribes; the feed first receives the room's history (the last chat messages). */
    Hub.Subscription subscribe(Feed feed) {
        return resume(feed, Long.MIN_VALUE);
    }

    /**
     * Subscribes after a reconnect; the feed first receives exactly the messages after
     * {@code afterId} that are still in history. The room's relay follows the topic first, so every
     * change after the member's entry reaches it.
     */
    Hub.Subscription resume(Feed feed, long afterId) {
        presence.follow(hub, topic);
        presence.add(feed);
        Hub.Subscription subscription;
        try {
            subscription = hub.subscribe(topic, feed, afterId, Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            presence.remove(feed);
            throw e;
        }
        return () -> {
            presence.remove(feed);
            subscription.close();
        };
    }

    /**
     * An observer's subscription: history, then every publication, each presence change included, one
     * delivery each (what a member's feed is spared).
     */
    Hub.Subscription subscribe(Subscriber observer) {
        return hub.subscribe(topic, observer, Long.MIN_VALUE, Integer.MAX_VALUE);
    }

    Hub.Subscription resume(Subscriber observer, long afterId) {
        return hub.subscribe(topic, observer, afterId, Integer.MAX_VALUE);
    }

    /** The room is dropped on this server: its relay stops following the topic (before the topic is released). */
    void close() {
        presence.stopFollowing();
    }

    /**
     * A member's place in the room: the name it holds, the id of the chat-join that announced it (or
     * {@link #ALREADY_PRESENT} when it was present already and nothing was announced) and its text,
     * and the room's members as of {@code asOf} (the join's id when announced): how many, and the
     * first {@code chatPresenceListMax}.
     */
    public record Entry(String name, long joinId, int count, List<Member> members, long asOf, String announcement) {
    }

    PresenceBatches presenceBatches() {
        return presence;
    }

    static final long ALREADY_PRESENT = Hub.NOT_ANNOUNCED;

    /** As {@link #join(String, String)} for a guest. */
    public Entry join(String requested) {
        return join(requested, null);
    }

    /**
     * Adds a member under the requested name, made unique (or a guest name when {@code requested} is
     * null), tells everyone (chat-join, which carries the members after it to subscribers) and returns
     * the name given; null only if other joiners took every candidate first, {@value #NAME_ATTEMPTS}
     * times over.
     *
     * <p>An authenticated {@code user} already present (another tab, another server) shares its
     * entry: same name, no announcement ({@link #ALREADY_PRESENT}). Nobody else can enter under a
     * key a user holds, so a user's name cannot be taken while it is in the room.
     */
    public Entry join(String requested, String user) {
        String base = requested != null ? requested : Usernames.guest(random);
        // The name asked for first, unlisted: in a room of thousands a join must not cost a list of them.
        Entry entry = enter(base, user);
        for (int attempt = 1; entry == null && attempt < NAME_ATTEMPTS; attempt++) {
            Set<String> taken = hub.members(topic).stream().map(Member::key).collect(Collectors.toSet());
            entry = enter(Usernames.unique(base, taken::contains), user);
        }
        return entry;
    }

    /** Enters under {@code name} (or the user's entry, whatever its name); null when another holds it. */
    private Entry enter(String name, String user) {
        String announcement = event(ChatMessages.JOIN, name, user, null);
        return hub.enter(topic, new Member(Usernames.key(name), name, hub.node(), user), announcement, presence.listMax())
                .map(e -> new Entry(e.member().name(), e.offset(), e.count(), e.members(), e.asOf(),
                        e.offset() == ALREADY_PRESENT ? null : announcement))
                .orElse(null);
    }

    /**
     * Enters again under {@code name} after the engine lost this member's presence; returns the place
     * held now: under the same name, or a unique variant when another member took it meanwhile (null if none).
     */
    Entry enterAgain(String name, String user) {
        return enterAgain(name, user, 3);
    }

    private Entry enterAgain(String name, String user, int attempts) {
        String key = Usernames.key(name);
        Entry entered = enter(name, user);
        if (entered != null) {
            return entered;
        }
        Member holder = hub.members(topic).stream().filter(m -> m.key().equals(key)).findFirst().orElse(null);
        if (holder != null && hub.isThisServer(holder.node()) && attempts > 1) {
            if (holder.node().equals(hub.node())) {
                long asOf = presence.newest(); // what this server knew when it read the list: later changes follow it
                List<Member> present = hub.members(topic);
                return new Entry(name, ALREADY_PRESENT, present.size(),
                        present.subList(0, Math.min(present.size(), presence.listMax())), asOf, null); // entered again already
            }
            // This server's entry from before it lost its presence: another server would remove it.
            hub.leave(topic, key, event(ChatMessages.LEAVE, name, user, null));
            return enterAgain(name, user, attempts - 1);
        }
        return join(name, user);
    }

    /**
     * Publishes a chat message under the member's name (the text already checked) and keeps it in
     * history, unless {@code claimedName} names another member present in the room: that is an
     * attempt to pass as them, refused with nothing published. Returns whether it was published.
     */
    public boolean say(String username, String user, String text, String claimedName) {
        if (claimedName != null && !Usernames.key(claimedName).equals(Usernames.key(username))
                && isPresent(Usernames.key(claimedName))) {
            return false;
        }
        hub.publish(topic, event(ChatMessages.MESSAGE, username, user, text), history);
        return true;
    }

    /**
     * A message from outside the room (the API's {@code from}, a system's name), kept in history and
     * delivered as a member's would be; refused (-1, nothing published) when a member present holds
     * that name. Returns its id.
     */
    long announce(String from, String text) {
        if (isPresent(Usernames.key(from))) {
            return -1;
        }
        return hub.publish(topic, event(ChatMessages.MESSAGE, from, null, text), history);
    }

    private boolean isPresent(String key) {
        return hub.members(topic).stream().anyMatch(m -> m.key().equals(key));
    }

    /** A guest's message, with no other name claimed. */
    public void say(String username, String text) {
        say(username, null, text, null);
    }

    /** A guest leaves: everyone left hears chat-leave. */
    public void leave(String username) {
        leave(username, null);
    }

    /** Gives up the member's place; everyone left hears chat-leave when it was the user's last connection. */
    public void leave(String username, String user) {
        hub.leave(topic, Usernames.key(username), event(ChatMessages.LEAVE, username, user, null));
    }

    /** The id of the room's last event, kept or not (0 before any). */
    long lastId() {
        return hub.history(topic, Long.MAX_VALUE, 0).lastOffset();
    }

    /** The messages kept after {@code afterId}, at most {@code limit}, oldest first. */
    dev.socketworks.hub.History history(long afterId, int limit) {
        return hub.history(topic, afterId, limit);
    }

    /** Names present, in join order. */
    List<String> members() {
        return hub.members(topic).stream().map(Member::name).toList();
    }

    /** The members present, in join order. */
    List<Member> presence() {
        return hub.members(topic);
    }

    private String event(String type, String username, String user, String message) {
        return ChatMessages.roomEvent(type, username, user, message, clock.instant());
    }
}
