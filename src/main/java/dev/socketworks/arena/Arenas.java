package dev.socketworks.arena;

import dev.socketworks.config.Settings;
import dev.socketworks.hub.Hub;
import dev.socketworks.outbox.Outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The deployment's arenas, made when a connection names one and dropped with their last connection.
 * At most {@code arenaMaxArenas}, each with at most {@code arenaMaxPlayers} connections. With a
 * shared engine an arena runs on one server and the others relay to it ({@link SharedArena}).
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
    // Guarded by this.
    private final Map<String, SharedArena> arenas = new HashMap<>();

    public Arenas(Settings settings, Hub hub, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.hub = hub;
        this.scheduler = scheduler;
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public Taken take(String name, Outbox outbox) {
        while (true) {
            SharedArena arena;
            synchronized (this) {
                arena = arenas.get(name);
                if (arena == null) {
                    if (arenas.size() >= settings.arenaMaxArenas()) {
                        return new Taken(null, null, "every arena is in use (arenaMaxArenas); try again later");
                    }
                    arena = new SharedArena(name, hub, scheduler, rates(), () -> newArena(name),
                            () -> forget(name));
                    arenas.put(name, arena);
                }
            }
            if (arena.seats() >= settings.arenaMaxPlayers()) {
                return new Taken(null, null, "arena " + name + " is full (arenaMaxPlayers " + settings.arenaMaxPlayers() + ")");
            }
            // Outside the registry's lock: joining may take a round trip to the engine.
            SharedArena.Local seat = arena.open(outbox);
            if (seat != null) {
                return new Taken(arena, seat, null);
            }
            forget(name); // it ended just now: make a new one
        }
    }

    private Arena newArena(String name) {
        return new Arena(name, Simulation.Rules.standard(settings.arenaTickMillis() / 1000.0, settings.arenaWorldSize()), new Random(),
                rates(), settings.arenaTickMillis(),
                // Named arenas are for people who came together: bots would only be in their way.
                name.equals(MAIN) ? settings.arenaBots() : 0);
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
