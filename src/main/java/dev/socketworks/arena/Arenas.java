package dev.socketworks.arena;

import dev.socketworks.config.Settings;
import dev.socketworks.hub.Hub;
import dev.socketworks.outbox.Outbox;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The deployment's arenas, known when a connection names one and dropped with their last connection.
 * A connection only watches until it joins; the first join takes one of {@code arenaMaxArenas} places
 * (main always has one), given back when nobody plays. Each arena takes {@code arenaMaxPlayers} players,
 * counted where it runs, and {@code arenaMaxWatchers} more connections per server. With a shared engine
 * an arena runs on one server and the others relay to it ({@link SharedArena}).
 */
public final class Arenas {

    /** The arena {@code /arena} and the page open by default: the one a lone visitor lands in, so the one with bots. */
    public static final String MAIN = "main";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A seat in an arena, or why there is none. */
    public record Taken(SharedArena arena, SharedArena.Local seat, String refusal) {
    }

    private final Settings settings;
    private final Hub hub;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService engineWork;
    // Guarded by this.
    private final Map<String, SharedArena> arenas = new HashMap<>();
    private final Set<Object> placesTaken = new HashSet<>();

    public Arenas(Settings settings, Hub hub, ScheduledExecutorService scheduler) {
        this(settings, hub, scheduler, scheduler);
    }

    /** @param engineWork runs the arenas' engine calls (leases, saves), apart from the ticks on {@code scheduler} */
    public Arenas(Settings settings, Hub hub, ScheduledExecutorService scheduler, ScheduledExecutorService engineWork) {
        this.settings = settings;
        this.hub = hub;
        this.scheduler = scheduler;
        this.engineWork = engineWork;
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * A connection arrives, watching until it joins: it takes no arena place yet (a join does), only one
     * of the arena's connections on this server ({@code arenaMaxPlayers + arenaMaxWatchers}).
     */
    public Taken take(String name, Outbox outbox) {
        int maxConnections = (int) Math.min(Integer.MAX_VALUE, (long) settings.arenaMaxPlayers() + settings.arenaMaxWatchers());
        while (true) {
            SharedArena arena;
            synchronized (this) {
                arena = arenas.computeIfAbsent(name, n -> {
                    Object place = new Object(); // this arena's, not its name's: an ended one may give back after a new one took
                    return new SharedArena(n, hub, scheduler, engineWork, rates(), () -> newArena(n), n.equals(MAIN) && settings.arenaBots() > 0,
                            () -> takePlace(n, place), () -> givePlaceBack(place), () -> forget(n));
                });
            }
            // Outside the registry's lock: the arena takes its own.
            SharedArena.Opened opened = arena.open(outbox, maxConnections);
            if (opened.full()) {
                return new Taken(null, null, "arena " + name + " has " + maxConnections
                        + " connections (arenaMaxPlayers + arenaMaxWatchers); try again later");
            }
            if (opened.local() != null) {
                return new Taken(arena, opened.local(), null);
            }
            forget(name); // it ended just now: make a new one
        }
    }

    /** One of the arenaMaxArenas places, for an arena whose first player here joins; main always has one. */
    private synchronized boolean takePlace(String name, Object place) {
        if (name.equals(MAIN) || placesTaken.contains(place)) {
            return true;
        }
        if (placesTaken.size() >= settings.arenaMaxArenas()) {
            return false;
        }
        placesTaken.add(place);
        return true;
    }

    private synchronized void givePlaceBack(Object place) {
        placesTaken.remove(place);
    }

    /** Arenas known here, dormant ones included. */
    synchronized int size() {
        return arenas.size();
    }

    /** Arenas holding a place (main never counts). */
    synchronized int placesTaken() {
        return placesTaken.size();
    }

    private volatile java.util.function.LongConsumer tickMeter = nanos -> { };

    /** Where every arena's tick durations go (nanoseconds): the deployment's metrics. */
    void measureTicksWith(java.util.function.LongConsumer meter) {
        this.tickMeter = meter;
    }

    private Arena newArena(String name) {
        Arena arena = new Arena(name, Simulation.Rules.standard(settings.arenaTickMillis() / 1000.0, settings.arenaWorldSize()), new Random(),
                rates(), settings.arenaMaxPlayers(), settings.arenaTickMillis(),
                // Named arenas are for people who came together: bots would only be in their way.
                name.equals(MAIN) ? settings.arenaBots() : 0);
        arena.measureTicksWith(tickMeter);
        return arena;
    }

    private PlayerRates rates() {
        return new PlayerRates(settings.arenaCommandsPerSecond(), settings.arenaSaysPerSecond());
    }

    /** Drops an arena that ended (never calls into it: an arena tells the registry while holding its own lock). */
    private synchronized void forget(String name) {
        SharedArena arena = arenas.get(name);
        if (arena != null && arena.ended()) {
            arenas.remove(name);
        }
    }

    public void leave(SharedArena arena, SharedArena.Local seat) {
        if (arena.close(seat)) {
            forget(arena.name());
        }
    }
}
