package dev.socketworks.arena;

import java.util.List;

/**
 * What one player sees at one tick: positions and radii rounded to world units (what clients are
 * sent), players and pellets in id order.
 */
public record View(long tick, int you, List<Player> players, List<Pellet> pellets) {

    public View {
        players = List.copyOf(players);
        pellets = List.copyOf(pellets);
    }

    /** {@code mass} is for the leaderboard; clients draw {@code r}. */
    public record Player(int id, String name, int x, int y, int r, double mass) {
    }

    public record Pellet(int id, int x, int y) {
    }
}
