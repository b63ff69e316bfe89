package dev.socketworks.arena;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How long an arena's ticks take (the world, the deltas, the enqueueing and the flush), kept for the
 * last {@value #KEPT} ticks in a fixed array, and what sending the whole world would cost instead:
 * measured when the arena holds more players than ever before, so at most a few times per run.
 * Guarded by the arena's lock.
 */
final class TickStats {

    static final int KEPT = 8192; // about 7 minutes at 20 ticks a second: memory fixed however long the arena runs

    private final long[] nanos = new long[KEPT];
    private long ticks;
    private int mostPlayers;
    private int fullStateBytes;
    private long views;
    private long othersSeen;

    void record(long tickNanos, int players, Supplier<String> fullState) {
        nanos[(int) (ticks++ % KEPT)] = tickNanos;
        if (players > mostPlayers) {
            mostPlayers = players;
            fullStateBytes = fullState.get().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** A player's view this tick held {@code others} other players: what its frames grow with. */
    void viewed(int others) {
        views++;
        othersSeen += others;
    }

    long ticks() {
        return ticks;
    }

    /** The {@code quantile} (0 to 1) of the kept ticks' durations, in milliseconds. */
    double quantileMillis(double quantile) {
        int kept = (int) Math.min(ticks, KEPT);
        if (kept == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, kept);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(kept - 1, Math.floor(quantile * kept))] / 1e6;
    }

    String summary() {
        return String.format(Locale.ROOT, "%d ticks, tick p50 %.3f ms, p99 %.3f ms, max %.3f ms (last %d ticks); "
                        + "at most %d players; full state at that size %d bytes; others in a player's view %.1f on average",
                ticks, quantileMillis(0.5), quantileMillis(0.99), quantileMillis(1), Math.min(ticks, KEPT),
                mostPlayers, fullStateBytes, views == 0 ? 0.0 : (double) othersSeen / views);
    }
}
