package dev.socketworks.chat;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;

/**
 * One chat room: its members' names, its event ids and the history replayed to joiners.
 *
 * <p>All state is read and changed only inside the hub's lock for the room's topic
 * ({@link Hub#publishComputed} and the welcome of {@link Hub#subscribe}), so every member sees the
 * same order of events, and a joiner's history replay and its first live message meet with no gap
 * and no duplicate.
 *
 * <p>Event ids increase by at least one per event and are never below the current time in
 * milliseconds times 1000. A room re-created after it was evicted, or after a redeploy, therefore
 * continues above every id its previous life gave out, and a client resuming with an old id gets
 * the whole new history rather than nothing.
 */
public final class Room {

    private record Entry(long id, String json, long bytes) {
    }

    /**
     * What one history entry holds in memory: its JSON as a Java string (2 bytes per char at most;
     * compact strings use 1 for Latin-1) plus the entry and deque slot around it.
     */
    static long entryBytes(String json) {
        return 2L * json.length() + 64;
    }

    private final String name;
    private final String topic;
    private final Hub hub;
    private final int historySize;
    private final long historyMaxBytes;
    private final HistoryBudget budget;
    private final Clock clock;
    private final RandomGenerator random;

    // Guarded by the hub's lock for topic.
    private long lastId;
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private volatile long historyBytes; // written under the topic lock; read by ChatRooms for idle rooms
    private final LinkedHashMap<String, String> members = new LinkedHashMap<>(); // key -> name, in join order

    Room(String name, Hub hub, int historySize, Clock clock, RandomGenerator random) {
        this(name, hub, historySize, Long.MAX_VALUE, HistoryBudget.unlimited(), clock, random);
    }

    /**
     * @param historyMaxBytes this room's history, at most, in {@link #entryBytes} (the oldest go first)
     * @param budget          what all rooms' histories share
     */
    Room(String name, Hub hub, int historySize, long historyMaxBytes, HistoryBudget budget, Clock clock,
         RandomGenerator random) {
        this.name = name;
        this.topic = "chat/" + name;
        this.hub = hub;
        this.historySize = historySize;
        this.historyMaxBytes = historyMaxBytes;
        this.budget = budget;
        this.clock = clock;
        this.random = random;
    }

    public String name() {
        return name;
    }

    String topic() {
        return topic;
    }

    /** Subscribes; the subscriber first receives the room's history (the last chat messages). */
    public Hub.Subscription subscribe(Subscriber subscriber) {
        return hub.subscribe(topic, subscriber, () -> historyWhere(id -> true));
    }

    /**
     * Subscribes after a reconnect; the subscriber first receives exactly the messages after
     * {@code afterId} that are still in history.
     */
    public Hub.Subscription resume(Subscriber subscriber, long afterId) {
        return hub.subscribe(topic, subscriber, () -> historyWhere(id -> id > afterId));
    }

    private List<String> historyWhere(LongPredicate wanted) {
        List<String> replay = new ArrayList<>();
        for (Entry e : history) {
            if (wanted.test(e.id())) {
                replay.add(e.json());
            }
        }
        return replay;
    }

    /**
     * Adds a member under the requested name, made unique (or a guest name when {@code requested} is
     * null), tells everyone (chat-join, then chat-presence) and returns the name given.
     */
    public String join(String requested) {
        return join(requested, name -> { });
    }

    /**
     * As {@link #join(String)}, and {@code tellJoiner} gets the name under the topic lock before the
     * room hears of it, so the joiner learns its name ahead of any room traffic. It must only enqueue.
     */
    public String join(String requested, Consumer<String> tellJoiner) {
        String[] given = new String[1];
        hub.publishComputed(topic, () -> {
            String name = Usernames.unique(requested != null ? requested : Usernames.guest(random),
                    members::containsKey);
            members.put(Usernames.key(name), name);
            given[0] = name;
            tellJoiner.accept(name);
            return List.of(event(ChatMessages.JOIN, name, null), presence(name));
        });
        return given[0];
    }

    /**
     * Publishes a chat message under the member's name (the text already checked) and keeps it in
     * history, unless {@code claimedName} names another member present in the room: that is an
     * attempt to pass as them, refused with nothing published. Returns whether it was published.
     */
    public boolean say(String username, String text, String claimedName) {
        boolean[] published = new boolean[1];
        hub.publishComputed(topic, () -> {
            if (claimedName != null && !Usernames.key(claimedName).equals(Usernames.key(username))
                    && members.containsKey(Usernames.key(claimedName))) {
                return List.of();
            }
            String json = event(ChatMessages.MESSAGE, username, text);
            keep(new Entry(lastId, json, entryBytes(json)));
            published[0] = true;
            return List.of(json);
        });
        return published[0];
    }

    /** Hold the topic lock. Keeps an entry within the count, this room's bytes and the shared budget. */
    private void keep(Entry entry) {
        if (historySize == 0 || entry.bytes() > historyMaxBytes) {
            return;
        }
        while (history.size() >= historySize || historyBytes + entry.bytes() > historyMaxBytes) {
            dropOldest();
        }
        while (!budget.tryCharge(entry.bytes())) {
            if (history.isEmpty()) {
                return; // the other rooms hold the whole budget: this message is sent, not kept
            }
            dropOldest();
        }
        history.addLast(entry);
        historyBytes += entry.bytes();
    }

    private void dropOldest() {
        Entry oldest = history.removeFirst();
        historyBytes -= oldest.bytes();
        budget.refund(oldest.bytes());
    }

    /** Bytes this room's history holds ({@link #entryBytes}). */
    long historyBytes() {
        return historyBytes;
    }

    /**
     * Gives this room's history back to the budget, for a room being dropped. Only for a room nobody
     * is connected to: nobody publishes to it any more, so no lock is needed (and none is taken, since
     * the caller may be reclaiming memory for another room, under that room's lock). Returns the bytes.
     */
    long releaseHistory() {
        long bytes = historyBytes;
        historyBytes = 0;
        budget.refund(bytes);
        return bytes;
    }

    /** As {@link #say(String, String, String)} with no other name claimed. */
    public void say(String username, String text) {
        say(username, text, null);
    }

    /** Removes a member and tells everyone left (chat-leave, then chat-presence). */
    public void leave(String username) {
        hub.publishComputed(topic, () -> {
            if (members.remove(Usernames.key(username)) == null) {
                return List.of();
            }
            return List.of(event(ChatMessages.LEAVE, username, null), presence(username));
        });
    }

    private String event(String type, String username, String message) {
        long now = clock.millis();
        lastId = Math.max(lastId + 1, now * 1000);
        return ChatMessages.event(type, username, message, lastId, Instant.ofEpochMilli(now).toString());
    }

    private String presence(String changedBy) {
        return ChatMessages.presence(changedBy, List.copyOf(members.values()));
    }
}
