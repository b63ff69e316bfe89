package dev.socketworks.arena;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark's look inside a tick (in this package for its package-private parts; never in the
 * WAR): one arena of {@code players} in this JVM, ticked directly, its frames kept by a sink that only
 * counts them. Every thread's allocated bytes (the tick's parallel part runs on the common pool) are
 * read just before and after each tick, so the players' commands, applied between ticks as a server
 * would, are not counted. What a tick must allocate is each frame's text (the Jakarta API sends a
 * {@code String}); everything else it allocates is what the collector's pauses, and so the tick's
 * p99, pay for.
 */
public final class TickAllocation {

    /**
     * @param frames      deltas and snapshots sent in the measured ticks
     * @param bytes       every thread's allocation during those ticks
     * @param frameText   what the frames' {@code String}s themselves take (header and byte array)
     */
    public record Figures(int players, long ticks, long frames, long bytes, long frameText) {

        public double bytesPerFrameBeyondText() {
            return (double) (bytes - frameText) / frames;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d players, %d ticks, %d frames: %.0f B allocated per frame, %.0f of them its text",
                    players, ticks, frames, (double) bytes / frames, (double) frameText / frames);
        }
    }

    private TickAllocation() {
    }

    /** A client that keeps nothing: counts frames and their strings' size, notes being eaten. */
    private static final class CountingSink implements Sink {
        long frames;
        long textBytes;
        boolean eaten;

        @Override
        public void send(String text) {
            if (text.startsWith("{\"type\":\"delta\"") || text.startsWith("{\"type\":\"snapshot\"")) {
                frames++;
                textBytes += stringBytes(text);
            } else if (text.startsWith("{\"type\":\"eaten\"")) {
                eaten = true;
            }
        }

        @Override
        public int queued() {
            return 0;
        }

        @Override
        public void flush() {
        }
    }

    /** A String's heap size with compressed oops: a 24-byte object and its byte array (Latin-1 or UTF-16), 8-aligned. */
    private static long stringBytes(String text) {
        boolean latin1 = true; // a loop, not a stream: this runs inside the measured tick
        for (int i = 0; i < text.length() && latin1; i++) {
            latin1 = text.charAt(i) <= 0xFF;
        }
        long array = 16 + (long) text.length() * (latin1 ? 1 : 2);
        return 24 + (array + 7) / 8 * 8;
    }

    /**
     * {@code warmUpTicks} unmeasured (the JIT, and every list and array grown to its size), then
     * {@code measuredTicks}. Each player aims anew about twice a second and joins again when eaten,
     * as the benchmark's clients do.
     */
    public static Figures measure(int players, int warmUpTicks, int measuredTicks) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Arena arena = new Arena("allocation", Simulation.Rules.standard(0.05), new java.util.Random(players),
                new PlayerRates(1000, 10), players, 50, 0);
        List<Arena.Seat> seats = new ArrayList<>();
        List<CountingSink> sinks = new ArrayList<>();
        for (int i = 0; i < players; i++) {
            CountingSink sink = new CountingSink();
            Arena.Seat seat = arena.seat("bench/" + i, sink, false, null);
            arena.handle(seat, "join p" + i);
            seats.add(seat);
            sinks.add(sink);
        }
        SplittableRandom random = new SplittableRandom(players);
        long bytes = 0;
        long framesAtStart = 0;
        long textAtStart = 0;
        for (int tick = 0; tick < warmUpTicks + measuredTicks; tick++) {
            for (int i = 0; i < players; i++) {
                if (sinks.get(i).eaten) {
                    sinks.get(i).eaten = false;
                    arena.handle(seats.get(i), "join p" + i);
                } else if (random.nextInt(10) == 0) {
                    arena.handle(seats.get(i), String.format(Locale.ROOT, "aim %.2f %.2f",
                            random.nextDouble(-1, 1), random.nextDouble(-1, 1)));
                }
            }
            if (tick == warmUpTicks) {
                framesAtStart = sinks.stream().mapToLong(s -> s.frames).sum();
                textAtStart = sinks.stream().mapToLong(s -> s.textBytes).sum();
            }
            long before = threads.getTotalThreadAllocatedBytes();
            arena.tick();
            long after = threads.getTotalThreadAllocatedBytes();
            if (tick >= warmUpTicks) {
                bytes += after - before;
            }
        }
        long frames = sinks.stream().mapToLong(s -> s.frames).sum() - framesAtStart;
        long text = sinks.stream().mapToLong(s -> s.textBytes).sum() - textAtStart;
        seats.forEach(arena::unseat);
        return new Figures(players, measuredTicks, frames, bytes, text);
    }

    /** By hand: {@code java -cp target/classes:target/test-classes:DEPENDENCIES dev.socketworks.arena.TickAllocation [players]}. */
    public static void main(String[] args) {
        int players = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        for (int run = 0; run < 3; run++) {
            System.out.println(measure(players, 600, 600));
        }
    }
}
