package dev.socketworks.chat;

import dev.socketworks.config.Settings;
import dev.socketworks.hub.Hub;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The deployment's rooms, created when a connection first joins or resumes in them (connecting alone
 * takes no place). At most {@code chatMaxRooms} exist besides the lobby, which is always there: a
 * room nobody is in keeps its history (so a reconnecting client can resume) until a new room needs
 * its place, or its memory is needed for another room's history; then the least recently used such
 * room is dropped. When every room is in use, a new one is refused.
 */
public final class ChatRooms {

    public static final String LOBBY = "lobby";

    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final class Held {
        final Room room;
        int connections;

        Held(Room room) {
            this.room = room;
        }
    }

    private final Hub hub;
    private final int historySize;
    private final long historyRoomBytes;
    private final HistoryBudget budget;
    private final int maxRooms;
    private final Clock clock;
    private final RandomGenerator random;
    // Guarded by this; access order, so iteration starts at the least recently used room.
    private final LinkedHashMap<String, Held> rooms = new LinkedHashMap<>(16, 0.75f, true);

    public ChatRooms(Hub hub, int historySize, int maxRooms, Clock clock, RandomGenerator random) {
        this(hub, historySize, Long.MAX_VALUE, Long.MAX_VALUE, maxRooms, clock, random);
    }

    ChatRooms(Hub hub, int historySize, long historyRoomBytes, long historyTotalBytes, int maxRooms, Clock clock,
              RandomGenerator random) {
        this.hub = hub;
        this.historySize = historySize;
        this.historyRoomBytes = historyRoomBytes;
        this.budget = new HistoryBudget(historyTotalBytes);
        this.maxRooms = maxRooms;
        this.clock = clock;
        this.random = random;
        budget.reclaimWith(this::dropIdleRooms);
    }

    public static ChatRooms of(Hub hub, Settings settings) {
        // java.util.Random: thread-safe, and unlike RandomGenerator.getDefault() it needs no service
        // lookup, which fails in some webapp class loaders (Jetty's).
        return new ChatRooms(hub, settings.chatHistorySize(), settings.chatHistoryRoomBytes(),
                settings.chatHistoryTotalBytes(), settings.chatMaxRooms(), Clock.systemUTC(), new Random());
    }

    /** Room names travel in URLs and logs: letters, digits, '.', '_' and '-', 1-64 of them. */
    public static boolean isValidName(String name) {
        return name != null && ROOM_NAME.matcher(name).matches();
    }

    /**
     * The room for one connection, created if needed; null when all {@code chatMaxRooms} rooms have
     * connections. Every room acquired must be {@link #release released} when the connection ends.
     */
    public synchronized Room acquire(String name) {
        Held held = rooms.get(name);
        if (held == null) {
            boolean lobby = name.equals(LOBBY); // always available: it takes no place of the cap
            if (!lobby && roomsCounted() >= maxRooms && !dropLeastRecentlyUsedIdleRoom()) {
                return null;
            }
            held = new Held(new Room(name, hub, historySize, historyRoomBytes, budget, clock, random));
            rooms.put(name, held);
        }
        held.connections++;
        return held.room;
    }

    public synchronized void release(Room room) {
        Held held = rooms.get(room.name());
        if (held != null && held.room == room) {
            held.connections--;
        }
    }

    private int roomsCounted() {
        return rooms.size() - (rooms.containsKey(LOBBY) ? 1 : 0);
    }

    private boolean dropLeastRecentlyUsedIdleRoom() {
        for (Iterator<Map.Entry<String, Held>> it = rooms.entrySet().iterator(); it.hasNext(); ) {
            Held held = it.next().getValue();
            if (held.connections == 0 && !held.room.name().equals(LOBBY)) {
                it.remove();
                drop(held.room);
                return true;
            }
        }
        return false;
    }

    /**
     * Drops idle rooms, least recently used first, until {@code wanted} bytes of history are freed or
     * none is left; returns the bytes freed. Called by a room that needs history memory, under that
     * room's lock, which is why dropping a room takes no room's lock.
     */
    private synchronized long dropIdleRooms(long wanted) {
        long freed = 0;
        for (Iterator<Map.Entry<String, Held>> it = rooms.entrySet().iterator(); it.hasNext() && freed < wanted; ) {
            Held held = it.next().getValue();
            if (held.connections == 0 && held.room.historyBytes() > 0) {
                it.remove();
                freed += drop(held.room);
            }
        }
        return freed;
    }

    /** Nobody holds the room, so nobody publishes to its topic: safe to free it. */
    private long drop(Room room) {
        hub.release(room.topic());
        return room.releaseHistory();
    }

    public synchronized int size() {
        return rooms.size();
    }

    /** Bytes all rooms' histories hold, as counted against {@code chatHistoryTotalBytes}. */
    long historyBytes() {
        return budget.used();
    }
}
