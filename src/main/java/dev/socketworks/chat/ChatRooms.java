package dev.socketworks.chat;

import dev.socketworks.config.Settings;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Retention;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The deployment's rooms, created when a connection first joins or resumes in them (connecting alone
 * takes no place). At most {@code chatMaxRooms} exist besides the lobby, which is always there: a
 * room nobody is in keeps its history on the hub (so a reconnecting client can resume) until a new
 * room needs its place; then the least recently used such room is dropped and its topic released.
 * When every room is in use, a new one is refused. (Memory for history is the hub's to bound.)
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

    private final long roomMessagesPerSecond;
    private final long presenceBatchMs;
    private final int presenceListMax;
    private final PresenceBatches.Later later;
    private final java.util.concurrent.Executor engineWork;
    private final Hub hub;
    private final Retention history;
    private final int maxRooms;
    private final Clock clock;
    private final RandomGenerator random;
    // Guarded by this; access order, so iteration starts at the least recently used room.
    private final LinkedHashMap<String, Held> rooms = new LinkedHashMap<>(16, 0.75f, true);

    /** @param history what each room keeps for joiners and resumes: chat messages, and bytes of them */
    public ChatRooms(Hub hub, Retention history, int maxRooms, Clock clock, RandomGenerator random) {
        this(hub, history, maxRooms, clock, random, 0);
    }

    /** @param roomMessagesPerSecond what each room takes from all its speakers together (0: no budget) */
    public ChatRooms(Hub hub, Retention history, int maxRooms, Clock clock, RandomGenerator random, long roomMessagesPerSecond) {
        this(hub, history, maxRooms, clock, random, roomMessagesPerSecond, 0, 1000, (millis, task) -> task.run(), Runnable::run);
    }

    /**
     * @param presenceBatchMs the shortest time between two presence messages to one member (0: each change at once)
     * @param presenceListMax the most members a joiner's list names
     * @param later           runs the rooms' presence ticks
     * @param engineWork      runs members' rare presence calls to the engine, off the ticks' scheduler
     */
    ChatRooms(Hub hub, Retention history, int maxRooms, Clock clock, RandomGenerator random, long roomMessagesPerSecond,
              long presenceBatchMs, int presenceListMax, PresenceBatches.Later later, java.util.concurrent.Executor engineWork) {
        this.engineWork = engineWork;
        this.presenceBatchMs = presenceBatchMs;
        this.presenceListMax = presenceListMax;
        this.later = later;
        this.roomMessagesPerSecond = roomMessagesPerSecond;
        this.hub = hub;
        this.history = history;
        this.maxRooms = maxRooms;
        this.clock = clock;
        this.random = random;
    }

    /**
     * @param scheduler  runs the rooms' presence ticks: each only enqueues on outboxes
     * @param engineWork runs what a tick finds needs the engine (a member's presence claimed again)
     */
    public static ChatRooms of(Hub hub, Settings settings, ScheduledExecutorService scheduler, java.util.concurrent.Executor engineWork) {
        // java.util.Random: thread-safe, and unlike RandomGenerator.getDefault() it needs no service
        // lookup, which fails in some webapp class loaders (Jetty's).
        return new ChatRooms(hub, new Retention(settings.chatHistorySize(), settings.chatHistoryRoomBytes()),
                settings.chatMaxRooms(), Clock.systemUTC(), new Random(), settings.chatRoomMessagesPerSecond(),
                settings.chatPresenceBatchMs(), settings.chatPresenceListMax(),
                (millis, task) -> scheduler.schedule(task, millis, TimeUnit.MILLISECONDS), engineWork);
    }

    /** The deployment's rooms, made once: chat's endpoints and the API share them. */
    public static ChatRooms of(dev.socketworks.runtime.AppContext app) {
        return app.service(ChatRooms.class, context -> {
            ChatRooms made = ChatRooms.of(context.hub(), context.settings(), context.scheduling().executor(), context.engineWork());
            context.metrics().gauge("socketworks.chat.rooms", "chat rooms this server holds (the lobby included; at most chatMaxRooms more)",
                    made, ChatRooms::size);
            return made;
        });
    }

    /** Room names travel in URLs and logs: letters, digits, '.', '_' and '-', 1-64 of them. */
    public static boolean isValidName(String name) {
        return name != null && ROOM_NAME.matcher(name).matches();
    }

    /**
     * The room for one connection, created if needed; null when all {@code chatMaxRooms} rooms have
     * connections. Every room acquired must be {@link #release released} when the connection ends.
     */
    public Room acquire(String name) {
        Room[] dropped = new Room[1];
        Room room;
        synchronized (this) {
            room = acquire(name, dropped);
        }
        if (dropped[0] != null) {
            drop(dropped[0]); // engine calls, made with no lock held
        }
        return room;
    }

    /** Guarded by this; the room that made way for this one, if any, is left in {@code dropped[0]}. */
    private Room acquire(String name, Room[] dropped) {
        Held held = rooms.get(name);
        if (held == null) {
            boolean lobby = name.equals(LOBBY); // always available: it takes no place of the cap
            if (!lobby && roomsCounted() >= maxRooms && (dropped[0] = leastRecentlyUsedIdleRoom()) == null) {
                return null;
            }
            held = new Held(new Room(name, hub, history, clock, random, roomMessagesPerSecond,
                    new PresenceBatches(presenceBatchMs, presenceListMax, later, engineWork)));
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

    /** Guarded by this: removes the least recently used room nobody holds and returns it, or null. */
    private Room leastRecentlyUsedIdleRoom() {
        for (Iterator<Map.Entry<String, Held>> it = rooms.entrySet().iterator(); it.hasNext(); ) {
            Held held = it.next().getValue();
            if (held.connections == 0 && !held.room.name().equals(LOBBY)) {
                it.remove();
                return held.room;
            }
        }
        return null;
    }

    /**
     * Nobody holds the room, so nobody publishes to its topic: safe to release it (the hub keeps a
     * topic that a new room of the same name follows meanwhile).
     */
    private void drop(Room room) {
        room.close();
        hub.release(room.topic());
    }

    /** The rooms with connections on this server, and how many each has. */
    synchronized Map<String, Integer> inUse() {
        Map<String, Integer> used = new java.util.TreeMap<>();
        rooms.forEach((name, held) -> {
            if (held.connections > 0) {
                used.put(name, held.connections);
            }
        });
        return used;
    }

    public synchronized int size() {
        return rooms.size();
    }
}
