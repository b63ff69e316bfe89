package dev.socketworks.arena;

import dev.socketworks.config.Settings;
import dev.socketworks.outbox.Outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;

/**
 * The deployment's arenas, made when a connection names one and dropped with their last connection.
 * At most {@code arenaMaxArenas}, each with at most {@code arenaMaxPlayers} connections. Node-local:
 * with a shared engine each server runs its own arenas (one arena across servers is not done yet).
 */
public final class Arenas {

    /** The arena {@code /arena} and the page open by default: the one a lone visitor lands in, so the one with bots. */
    public static final String MAIN = "main";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** A seat in an arena, or why there is none. */
    public record Taken(Arena arena, Arena.Seat seat, String refusal) {
    }

    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    // Guarded by this.
    private final Map<String, Arena> arenas = new HashMap<>();

    public Arenas(Settings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.scheduler = scheduler;
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public synchronized Taken take(String name, Outbox outbox) {
        Arena arena = arenas.get(name);
        if (arena == null) {
            if (arenas.size() >= settings.arenaMaxArenas()) {
                return new Taken(null, null, "every arena is in use (arenaMaxArenas); try again later");
            }
            arena = new Arena(name, Simulation.Rules.standard(settings.arenaTickMillis() / 1000.0, settings.arenaWorldSize()), new Random(),
                    settings.arenaCommandsPerSecond(), settings.arenaTickMillis(),
                    // Named arenas are for people who came together: bots would only be in their way.
                    name.equals(MAIN) ? settings.arenaBots() : 0);
            arenas.put(name, arena);
        }
        if (arena.seats() >= settings.arenaMaxPlayers()) {
            return new Taken(null, null, "arena " + name + " is full (arenaMaxPlayers " + settings.arenaMaxPlayers() + ")");
        }
        return new Taken(arena, arena.seat(outbox, scheduler), null);
    }

    public synchronized void leave(Arena arena, Arena.Seat seat) {
        if (arena.unseat(seat) && arenas.get(arena.name()) == arena) {
            arenas.remove(arena.name()); // its timer stopped with its last connection
        }
    }
}
