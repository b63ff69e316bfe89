package dev.socketworks.arena;

import java.util.List;

/** What a client is sent about its view: a whole {@link Snapshot}, then per tick a {@link Delta} of what changed. */
public sealed interface Frame {

    /** The view, whole: on join, and instead of the missed deltas when a client fell behind. */
    record Snapshot(long tick, int you, List<View.Player> players, List<View.Pellet> pellets) implements Frame {
    }

    /**
     * Since the client's last frame: players and pellets that came into view, players that moved or
     * changed size (rounded), and ids that left the view or the world. The tick it is for is written
     * with it ({@link ArenaMessages#delta}): each player's encoder keeps one of these and refills its
     * lists, so a tick makes no delta objects.
     */
    record Delta(List<View.Player> addedPlayers, List<View.Pellet> addedPellets, List<View.Player> moved,
                 IntList removed) implements Frame {
    }
}
