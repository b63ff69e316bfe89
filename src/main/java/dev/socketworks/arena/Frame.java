package dev.socketworks.arena;

import java.util.List;

/** What a client is sent about its view: a whole {@link Snapshot}, then per tick a {@link Delta} of what changed. */
public sealed interface Frame {

    long tick();

    /** The view, whole: on join, and instead of the missed deltas when a client fell behind. */
    record Snapshot(long tick, int you, List<View.Player> players, List<View.Pellet> pellets) implements Frame {
    }

    /**
     * Since the client's last frame: players and pellets that came into view, players that moved or
     * changed size (rounded), and ids that left the view or the world.
     */
    record Delta(long tick, List<View.Player> addedPlayers, List<View.Pellet> addedPellets, List<View.Player> moved,
                 List<Integer> removed) implements Frame {
    }
}
