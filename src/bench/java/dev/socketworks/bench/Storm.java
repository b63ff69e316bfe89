package dev.socketworks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * storm: on a freshly restarted server ({@link Case#freshServer()}), opens N echo connections
 * at once (256 handshakes in flight), proves each with one round trip, then reads the server's RSS
 * and its heap after a full GC: their growth divided by N is the cost of one idle connection.
 */
final class Storm {

    private static final int HANDSHAKES_IN_FLIGHT = 256;

    private Storm() {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (int connections : new int[] {1_000, 10_000}) {
            cases.add(new Case("storm", connections + " idle echo connections",
                    t -> t.echo() != null && t.maxConnections() >= connections, t -> run(t, connections), true));
        }
        return cases;
    }

    private static Map<String, Double> run(Target target, int connections) throws Exception {
        Server server = target.server();
        double heapBefore = server == null ? Double.NaN : server.heapAfterGc().orElse(Double.NaN);
        long rssBefore = server == null ? 0 : server.rssBytes();
        AtomicInteger echoed = new AtomicInteger();
        List<WsClient> clients = new ArrayList<>(connections);
        try {
            Semaphore handshakes = new Semaphore(HANDSHAKES_IN_FLIGHT);
            List<CompletableFuture<WsClient>> opening = new ArrayList<>(connections);
            long start = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                handshakes.acquire();
                opening.add(WsClient.connect(target.echoUri(), null, true, (c, m) -> echoed.incrementAndGet())
                        .whenComplete((c, e) -> handshakes.release()));
            }
            int failed = 0;
            String firstFailure = null;
            for (CompletableFuture<WsClient> future : opening) {
                try {
                    clients.add(future.get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failed++;
                    firstFailure = firstFailure == null ? String.valueOf(e.getCause()) : firstFailure;
                }
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            if (failed > 0) {
                throw new BenchFailure(failed + " of " + connections + " connections failed to open; first: " + firstFailure);
            }
            clients.forEach(c -> c.sendText("up"));
            Poll.until(() -> echoed.get() == connections, "one echo on each connection");
            Map<String, Double> figures = Case.figures();
            figures.put("open s", openSeconds);
            figures.put("opens/s", connections / openSeconds);
            if (server != null) {
                OptionalDouble heapAfter = server.heapAfterGc();
                server.collectGarbage();
                long rssAfter = server.rssBytes();
                figures.put("RSS KiB/conn", (rssAfter - rssBefore) / 1024.0 / connections);
                figures.put("heap KiB/conn", heapAfter.isPresent() ? (heapAfter.getAsDouble() - heapBefore) / 1024.0 / connections : Double.NaN);
                figures.put("server RSS MiB", rssAfter / 1048576.0);
                if (Boolean.getBoolean("bench.profile")) {
                    server.writeHistogram(java.nio.file.Path.of(System.getProperty("bench.out", "."),
                            target.name() + "-storm-" + connections + "-histogram.txt"));
                }
            }
            return figures;
        } finally {
            clients.forEach(WsClient::abort);
        }
    }
}
