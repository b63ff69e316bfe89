package dev.socketworks.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** echo-latency and churn: one message at a time, so every figure is a full round trip. */
final class EchoScenarios {

    private static final int WARMUP = 200;
    private static final int ROUND_TRIPS = 2_000;
    private static final int CHURN_CYCLES = 500;

    private EchoScenarios() {
    }

    static List<Case> latency() {
        return List.of(new Case("echo-latency", "1 conn, 32 B text, " + ROUND_TRIPS + " round trips",
                t -> t.echo() != null, EchoScenarios::latency));
    }

    static List<Case> churn() {
        return List.of(new Case("churn", CHURN_CYCLES + " connect/send/receive/close cycles",
                t -> t.echo() != null, EchoScenarios::churn));
    }

    static Map<String, Double> latency(Target target) throws Exception {
        BlockingQueue<String> echoes = new ArrayBlockingQueue<>(16);
        WsClient client = WsClient.open(target.echoUri(), (c, message) -> echoes.add(message));
        try {
            long[] micros = new long[ROUND_TRIPS];
            for (int i = 0; i < WARMUP + ROUND_TRIPS; i++) {
                String message = Payloads.text(i, 32);
                long start = System.nanoTime();
                client.sendText(message);
                String echo = echoes.poll(10, TimeUnit.SECONDS);
                long elapsed = System.nanoTime() - start;
                if (!message.equals(echo)) {
                    throw new BenchFailure("round trip " + i + ": expected the echo of '" + message + "', got " + echo);
                }
                if (i >= WARMUP) {
                    micros[i - WARMUP] = elapsed / 1_000;
                }
            }
            Map<String, Double> figures = Case.figures();
            figures.put("p50 µs", Stats.percentile(micros, ROUND_TRIPS, 50));
            figures.put("p95 µs", Stats.percentile(micros, ROUND_TRIPS, 95));
            figures.put("p99 µs", Stats.percentile(micros, ROUND_TRIPS, 99));
            figures.put("max µs", Stats.percentile(micros, ROUND_TRIPS, 100));
            figures.put(Case.SERVED, (double) (WARMUP + ROUND_TRIPS));
            return figures;
        } finally {
            client.close();
        }
    }

    static Map<String, Double> churn(Target target) throws Exception {
        return churn(target, CHURN_CYCLES);
    }

    static Map<String, Double> churn(Target target, int cycles) throws Exception {
        long[] micros = new long[cycles];
        long started = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            BlockingQueue<String> echoes = new ArrayBlockingQueue<>(4);
            String message = Payloads.text(i, 32);
            long start = System.nanoTime();
            WsClient client = WsClient.open(target.echoUri(), (c, m) -> echoes.add(m));
            client.sendText(message);
            String echo = echoes.poll(10, TimeUnit.SECONDS);
            client.close();
            if (!message.equals(echo)) {
                throw new BenchFailure("cycle " + i + ": no echo (got " + echo + ")");
            }
            if (!client.closedFuture().isDone()) {
                throw new BenchFailure("cycle " + i + ": the server did not answer the close");
            }
            micros[i] = (System.nanoTime() - start) / 1_000;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Double> figures = Case.figures();
        figures.put("cycles/s", cycles / seconds);
        figures.put("p50 ms", Stats.percentile(micros, cycles, 50) / 1000);
        figures.put("p99 ms", Stats.percentile(micros, cycles, 99) / 1000);
        figures.put(Case.SERVED, (double) cycles);
        return figures;
    }
}
