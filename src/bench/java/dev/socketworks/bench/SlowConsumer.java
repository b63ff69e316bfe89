package dev.socketworks.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * slow-consumer: 100 receivers get a paced stream of 2 KiB broadcasts (1 per 5 ms, the fan-out
 * scenario's offered load), once alone and once beside a client that never reads. Reported: both
 * p99s and their ratio, how and when the stalled client was ended, and how much the server grew.
 */
final class SlowConsumer {

    private static final int RECEIVERS = 100;
    private static final int SIZE = 2 * 1024;
    private static final long PACE_NANOS = 5_000_000;

    private final int messages;

    private SlowConsumer(int messages) {
        this.messages = messages;
    }

    static List<Case> cases() {
        // Enough that a stalled client overflows the kernel's buffers and then its outbox (1,024 messages):
        // 3,000 x 2 KiB did in every run, 2,000 not always; so quick runs use it too.
        SlowConsumer run = new SlowConsumer(3_000);
        return List.of(new Case("slow-consumer", RECEIVERS + " receivers, " + run.messages + " x 2 KiB, 1 per 5 ms, with and without a stalled client",
                t -> t.broadcast() != null, run::run));
    }

    private static final class Phase {
        final long[] latencyMicros;
        final AtomicInteger count = new AtomicInteger();
        final AtomicInteger probed = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();
        int closeCode;
        String closeReason = "";
        int stalledReceived;
        double rssGrowthMiB;

        Phase(int size) {
            latencyMicros = new long[size];
        }
    }

    private Map<String, Double> run(Target target) throws Exception {
        Phase alone = phase(target, false);
        Phase beside = phase(target, true);
        double p99Alone = Stats.percentile(alone.latencyMicros, alone.count.get(), 99) / 1000;
        double p99Beside = Stats.percentile(beside.latencyMicros, beside.count.get(), 99) / 1000;
        Map<String, Double> figures = Case.figures();
        figures.put("p99 ms alone", p99Alone);
        figures.put("p99 ms with stalled", p99Beside);
        figures.put("p99 ratio", p99Beside / p99Alone);
        figures.put("stalled cut before the end", beside.closeCode != 0 && beside.stalledReceived < messages ? 1.0 : 0.0);
        figures.put("stalled close code", beside.closeCode == 0 ? Double.NaN : beside.closeCode);
        figures.put("stalled got msgs", (double) beside.stalledReceived);
        figures.put("lost (others)", (double) (2L * RECEIVERS * messages - alone.count.get() - beside.count.get()));
        figures.put("server RSS growth MiB", beside.rssGrowthMiB);
        System.out.printf("    stalled client ended with %d '%s' after %d of %d messages%n",
                beside.closeCode, beside.closeReason, beside.stalledReceived, messages);
        return figures;
    }

    private Phase phase(Target target, boolean withStalledClient) throws Exception {
        Phase phase = new Phase(RECEIVERS * messages);
        List<WsClient> clients = new ArrayList<>();
        URI uri = URI.create(target.broadcast());
        Server server = target.server();
        if (server != null) {
            server.collectGarbage();
        }
        long rssBefore = rss(server);
        long rssPeak = rssBefore;
        try {
            for (int i = 0; i < RECEIVERS; i++) {
                long[] last = {-1};
                clients.add(WsClient.open(uri, (c, message) -> {
                    long now = System.nanoTime();
                    if (!message.startsWith("m:")) {
                        if (last[0] == -1 && message.equals("probe")) {
                            last[0] = -2;
                            phase.probed.incrementAndGet();
                        }
                        return;
                    }
                    int colon = message.indexOf(':', 2);
                    long sequence = Long.parseLong(message, 2, colon, 10);
                    long sent = Long.parseLong(message, colon + 1, message.indexOf(':', colon + 1), 10);
                    if (sequence <= last[0]) {
                        phase.outOfOrder.incrementAndGet();
                    }
                    last[0] = sequence;
                    int slot = phase.count.getAndIncrement();
                    phase.latencyMicros[slot] = (now - sent) / 1_000;
                }));
            }
            AtomicInteger stalledCount = new AtomicInteger();
            WsClient stalled = null;
            if (withStalledClient) {
                stalled = WsClient.connect(uri, null, false, (c, m) -> stalledCount.incrementAndGet())
                        .get(30, TimeUnit.SECONDS);
                clients.add(stalled);
            }
            WsClient sender = WsClient.open(uri, (c, m) -> { });
            clients.add(sender);
            while (phase.probed.get() < RECEIVERS) {
                sender.sendText("probe").get(10, TimeUnit.SECONDS);
                Server.pause(20);
            }
            String filler = "x".repeat(SIZE);
            long start = System.nanoTime();
            for (int sequence = 0; sequence < messages; sequence++) {
                long due = start + sequence * PACE_NANOS;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait); // not a spin: the client must not take a core from the server
                }
                String head = "m:" + sequence + ":" + System.nanoTime() + ":";
                sender.sendText(head + filler.substring(head.length()));
                if (sequence % 100 == 0) {
                    rssPeak = Math.max(rssPeak, rss(server));
                }
            }
            int expected = RECEIVERS * messages;
            Poll.until(() -> phase.count.get() >= expected, "every receiver's " + messages + " messages");
            rssPeak = Math.max(rssPeak, rss(server));
            phase.rssGrowthMiB = server == null ? Double.NaN : (rssPeak - rssBefore) / 1048576.0;
            if (phase.outOfOrder.get() > 0) {
                throw new BenchFailure(phase.outOfOrder.get() + " deliveries out of order");
            }
            if (stalled != null) {
                stalled.resumeReading();
                try {
                    phase.closeCode = stalled.closedFuture().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    phase.closeCode = 0;
                }
                phase.closeReason = stalled.closeReason();
                phase.stalledReceived = stalledCount.get();
            }
            return phase;
        } finally {
            clients.forEach(WsClient::abort);
        }
    }

    private static long rss(Server server) {
        return server == null ? 0 : server.rssBytes();
    }
}
