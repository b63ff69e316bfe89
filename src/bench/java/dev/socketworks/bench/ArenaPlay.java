package dev.socketworks.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * arena: N players, each a connection of its own, in one arena at the default 20 ticks a second.
 * Each joins, then changes its aim at random about twice a second (a mouse moving now and then) and
 * joins again when eaten. Measured over {@value #MEASURED_SECONDS} s after a warm-up: bytes and
 * messages each client receives per second. When the players leave, the server logs its tick
 * statistics for the arena's run and the size of the whole world as one snapshot; the run reads that
 * log line, so the tick figures are the server's own, and "full state" is what a server that sent
 * everything every tick would send each client.
 *
 * <p>That log line covers the arena's whole run, the players' arrival included: handshakes and first
 * snapshots compete with the first ticks for the cores. The measured window's own tick quantiles come
 * from the server's tick histogram ({@code /metrics}, which answers 127.0.0.1 without a key), scraped
 * when the window opens and when it closes, as an operator's Prometheus would compute them: the
 * difference of two scrapes, interpolated within a bucket.
 */
final class ArenaPlay {

    private static final int WARM_UP_SECONDS = 3;
    // 600 ticks or more: over 10 s (200 ticks) the p99 was the second or third slowest tick of the
    // run, and moved by half between runs of one build.
    private static final int MEASURED_SECONDS = 30;
    private static final int TICKS_PER_SECOND = 20; // the arenaTickMs default, which the bench server keeps
    private static final int CONNECT_CONCURRENCY = 64;
    private static final Pattern STOPPED = Pattern.compile(
            "Arena (\\S+) stopped: (\\d+) ticks, tick p50 ([\\d.]+) ms, p99 ([\\d.]+) ms, max ([\\d.]+) ms .*?"
                    + "at most (\\d+) players; full state at that size (\\d+) bytes; others in a player's view ([\\d.]+) on average");

    private final int players;

    private ArenaPlay(int players) {
        this.players = players;
    }

    static List<Case> cases(boolean quick) {
        List<Case> cases = new ArrayList<>();
        for (int players : quick ? new int[] {50, 200} : new int[] {50, 200, 500}) {
            ArenaPlay run = new ArenaPlay(players);
            // Only a server this runner started: the tick figures come from its log.
            cases.add(new Case("arena", players + " players", t -> t.server() != null && t.arenaPrefix() != null, run::run));
        }
        // The tick itself, in this JVM: container-independent, so measured once (beside Tomcat, which always runs).
        // Not "500 players ..." first: Goals finds the 500-player run by that start.
        cases.add(new Case("arena", "the tick alone in the bench JVM, 500 players: bytes allocated per frame",
                t -> t.name().equals("socketworks") && t.server() != null, t -> tickAllocation()));
        return cases;
    }

    private static final class Player implements WsClient.Handler {
        final String name;
        final AtomicLong bytes;
        final AtomicLong messages;
        final AtomicInteger errors;
        final AtomicInteger joined;
        volatile boolean playing;

        Player(String name, AtomicLong bytes, AtomicLong messages, AtomicInteger errors, AtomicInteger joined) {
            this.name = name;
            this.bytes = bytes;
            this.messages = messages;
            this.errors = errors;
            this.joined = joined;
        }

        @Override
        public void text(WsClient client, String message) {
            bytes.addAndGet(message.getBytes(StandardCharsets.UTF_8).length);
            messages.incrementAndGet();
            if (message.startsWith("{\"type\":\"snapshot\"") && !playing) {
                playing = true;
                joined.incrementAndGet();
            } else if (message.startsWith("{\"type\":\"eaten\"")) {
                client.sendText("join " + name); // back at once, as a keen player would
            } else if (message.startsWith("{\"type\":\"error\"")) {
                errors.incrementAndGet();
            }
        }
    }

    private Map<String, Double> run(Target target) throws Exception {
        String arena = "bench-" + players + "-" + Long.toHexString(System.nanoTime());
        AtomicLong bytes = new AtomicLong();
        AtomicLong messages = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger joined = new AtomicInteger();
        List<WsClient> clients = new ArrayList<>();
        try {
            Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
            List<CompletableFuture<WsClient>> opening = new ArrayList<>();
            for (int i = 0; i < players; i++) {
                connecting.acquire();
                Player player = new Player("p" + i, bytes, messages, errors, joined);
                opening.add(WsClient.connect(URI.create(target.arenaPrefix() + arena), "arena.v1", true, player)
                        .whenComplete((c, e) -> connecting.release())
                        .thenApply(c -> {
                            c.sendText("join " + player.name);
                            return c;
                        }));
            }
            for (CompletableFuture<WsClient> future : opening) {
                clients.add(future.get(60, TimeUnit.SECONDS));
            }
            Poll.until(() -> joined.get() == players, "every player's snapshot");
            SplittableRandom random = new SplittableRandom(players);
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(MEASURED_SECONDS);
            long bytesAtStart = -1;
            long messagesAtStart = -1;
            URI metrics = URI.create(target.arenaPrefix().replaceFirst("^ws", "http").replaceFirst("arena/$", "metrics"));
            TickHistogram ticksAtStart = null;
            while (System.nanoTime() < end) {
                if (bytesAtStart < 0 && System.nanoTime() >= measureFrom) {
                    bytesAtStart = bytes.get();
                    messagesAtStart = messages.get();
                    ticksAtStart = TickHistogram.scrape(metrics);
                }
                for (WsClient client : clients) {
                    if (random.nextInt(10) == 0) { // every 50 ms a tenth of them: each about twice a second
                        client.sendText(String.format(Locale.ROOT, "aim %.2f %.2f", random.nextDouble(-1, 1), random.nextDouble(-1, 1)));
                    }
                }
                Server.pause(50);
            }
            TickHistogram window = TickHistogram.scrape(metrics).minus(ticksAtStart);
            double seconds = (System.nanoTime() - measureFrom) / 1e9;
            double bytesPerClient = (bytes.get() - bytesAtStart) / seconds / players;
            double messagesPerClient = (messages.get() - messagesAtStart) / seconds / players;
            clients.forEach(WsClient::close);
            clients.clear();
            Matcher stopped = awaitStopped(target.server(), arena);
            double fullStatePerSecond = Double.parseDouble(stopped.group(7)) * TICKS_PER_SECOND;
            if (errors.get() > 0) {
                throw new BenchFailure(errors.get() + " error messages to players (rate limit or bad command)");
            }
            Map<String, Double> figures = Case.figures();
            figures.put("tick p50 ms", Double.parseDouble(stopped.group(3)));
            figures.put("tick p99 ms", Double.parseDouble(stopped.group(4)));
            figures.put("tick max ms", Double.parseDouble(stopped.group(5)));
            figures.put("window tick p50 ms", window.quantileMillis(0.5));
            figures.put("window tick p99 ms", window.quantileMillis(0.99));
            figures.put("window ticks", (double) window.count());
            double othersInView = Double.parseDouble(stopped.group(8));
            figures.put("others in view", othersInView);
            figures.put("KB/s per client", bytesPerClient / 1000);
            // What a client is sent follows what it sees, not the arena's size: this stays flat as density grows.
            figures.put("B/s per client per other in view", bytesPerClient / Math.max(1, othersInView));
            figures.put("msgs/s per client", messagesPerClient);
            figures.put("full state KB/s per client", fullStatePerSecond / 1000);
            figures.put("sent / full state", bytesPerClient / fullStatePerSecond);
            return figures;
        } finally {
            clients.forEach(WsClient::abort);
        }
    }

    /** The server's {@code socketworks_arena_tick_seconds} histogram: ticks at or under each bucket's bound (seconds), cumulative. */
    record TickHistogram(java.util.NavigableMap<Double, Long> atOrUnder) {

        private static final Pattern BUCKET = Pattern.compile(
                "(?m)^socketworks_arena_tick_seconds_bucket\\{(?:[^}]*,)?le=\"([^\"]+)\"[^}]*\\} ([0-9.Ee+]+)");

        static TickHistogram scrape(URI metrics) throws Exception {
            java.net.http.HttpResponse<String> response = WsClient.HTTP.send(
                    java.net.http.HttpRequest.newBuilder(metrics).timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchFailure(metrics + " answered " + response.statusCode());
            }
            java.util.TreeMap<Double, Long> buckets = new java.util.TreeMap<>();
            Matcher m = BUCKET.matcher(response.body());
            while (m.find()) {
                double bound = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                buckets.merge(bound, (long) Double.parseDouble(m.group(2)), Long::sum); // every arena of the server
            }
            if (buckets.isEmpty()) {
                throw new BenchFailure(metrics + " has no socketworks_arena_tick_seconds histogram");
            }
            return new TickHistogram(buckets);
        }

        TickHistogram minus(TickHistogram earlier) {
            java.util.TreeMap<Double, Long> difference = new java.util.TreeMap<>();
            atOrUnder.forEach((bound, count) -> difference.put(bound, count - earlier.atOrUnder.getOrDefault(bound, 0L)));
            return new TickHistogram(difference);
        }

        long count() {
            return atOrUnder.lastEntry().getValue();
        }

        /** As Prometheus's histogram_quantile: the bucket the rank falls in, linearly within it. */
        double quantileMillis(double quantile) {
            double rank = quantile * count();
            double lower = 0;
            long below = 0;
            for (java.util.Map.Entry<Double, Long> bucket : atOrUnder.entrySet()) {
                if (bucket.getValue() >= rank && bucket.getValue() > below) {
                    if (bucket.getKey().isInfinite()) {
                        return lower * 1000; // past the last bound: the bound is all a histogram knows
                    }
                    return (lower + (bucket.getKey() - lower) * (rank - below) / (bucket.getValue() - below)) * 1000;
                }
                lower = bucket.getKey();
                below = bucket.getValue();
            }
            return Double.NaN;
        }
    }

    private static Map<String, Double> tickAllocation() {
        dev.socketworks.arena.TickAllocation.Figures measured = dev.socketworks.arena.TickAllocation.measure(500, 600, 600);
        Map<String, Double> figures = Case.figures();
        figures.put("frames", (double) measured.frames());
        figures.put("B allocated per frame", (double) measured.bytes() / measured.frames());
        figures.put("B of it the frame's text", (double) measured.frameText() / measured.frames());
        figures.put("B beyond the text", measured.bytesPerFrameBeyondText());
        return figures;
    }

    private static Matcher awaitStopped(Server server, String arena) throws BenchFailure {
        Matcher[] found = new Matcher[1];
        Poll.until(() -> {
            Matcher m = STOPPED.matcher(server.logText());
            while (m.find()) {
                if (m.group(1).equals(arena)) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        }, "the server's log line for arena " + arena);
        return found[0];
    }
}
