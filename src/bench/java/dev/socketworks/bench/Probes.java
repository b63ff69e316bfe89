package dev.socketworks.bench;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What other users of the hostile scenario's server see besides the chat members: an echo client
 * asking every 100 ms (its round trips), and an arena player steering in the arena the say flood
 * targets (the gaps between the frames it is sent, which a stalled tick or a say backlog stretches).
 */
final class Probes implements AutoCloseable {

    static final String ARENA = "hostile";
    private static final int SAMPLES = 100_000;

    private final WsClient echo;
    private final WsClient player;
    private final Thread asker;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final long[] echoMicros = new long[SAMPLES];
    private final AtomicInteger echoes = new AtomicInteger();
    private final long[] gapMicros = new long[SAMPLES];
    private final AtomicInteger gaps = new AtomicInteger();
    private final AtomicLong lastFrame = new AtomicLong();

    private Probes(String base) {
        echo = WsClient.connectFrom("10.2.0.1", URI.create(base + "/echo"), java.util.List.of(), true, (client, message) -> {
            if (measuring.get() && message.startsWith("t:")) {
                record(echoMicros, echoes, (System.nanoTime() - Long.parseLong(message.substring(2))) / 1000);
            }
        }).orTimeout(30, TimeUnit.SECONDS).join();
        player = WsClient.connectFrom("10.2.0.2", URI.create(base + "/arena/" + ARENA), java.util.List.of("arena.v1"), true, (client, message) -> {
            if (message.startsWith("{\"type\":\"delta\"") || message.startsWith("{\"type\":\"snapshot\"")) {
                long now = System.nanoTime();
                long before = lastFrame.getAndSet(now);
                if (measuring.get() && before != 0) {
                    record(gapMicros, gaps, (now - before) / 1000);
                }
            } else if (message.startsWith("{\"type\":\"eaten\"")) {
                client.sendText("join probe");
            }
        }).orTimeout(30, TimeUnit.SECONDS).join();
        player.sendText("join probe");
        asker = new Thread(() -> {
            long n = 0;
            while (running.get()) {
                echo.sendText("t:" + System.nanoTime());
                if (n++ % 5 == 0) { // a new heading every half second: the player always moves, so every tick sends a delta
                    double angle = Math.random() * 2 * Math.PI;
                    player.sendText("aim " + Math.cos(angle) + " " + Math.sin(angle));
                }
                Server.pause(100);
            }
        }, "hostile-probes");
        asker.setDaemon(true);
        asker.start();
    }

    static Probes start(String base) {
        return new Probes(base);
    }

    private static void record(long[] samples, AtomicInteger count, long micros) {
        int slot = count.getAndIncrement();
        if (slot < samples.length) {
            samples[slot] = micros;
        }
    }

    /** Starts or ends a phase: starting one forgets the last. */
    void measuring(boolean on) {
        if (on) {
            echoes.set(0);
            gaps.set(0);
            lastFrame.set(0);
        }
        measuring.set(on);
    }

    /** The echo round trip's p99 and max in ms over the last phase; NaN if none came back. */
    double[] echoP99AndMax() {
        return p99AndMax(echoMicros, echoes.get());
    }

    /** The p99 and max gap in ms between the arena player's frames over the last phase. */
    double[] arenaGapP99AndMax() {
        return p99AndMax(gapMicros, gaps.get());
    }

    private static double[] p99AndMax(long[] samples, int count) {
        int n = Math.min(samples.length, count);
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Stats.percentile(samples, n, 99) / 1000.0, Stats.percentile(samples, n, 100) / 1000.0};
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        asker.join(5_000);
        echo.close();
        player.close();
    }
}
