package dev.socketworks.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fanout: N receivers and one sender on a broadcast topic ({@code /broadcast} or a chat room). The
 * sender paces 200 messages carrying a sequence number and its send time; each receiver records the
 * latency of every delivery and counts what is lost or out of order.
 */
final class Fanout {

    static final int MESSAGES = 200;
    /** Offered load, equal for every size: deliveries/s the sender's pace asks for. Below saturation on 2 cores, so latency, not queueing, is measured. */
    private static final long OFFERED_DELIVERIES_PER_SECOND = 20_000;
    private static final int CONNECT_CONCURRENCY = 128;

    private enum Topic { BROADCAST, CHAT }

    private final Topic topic;
    private final int receivers;
    private final long paceNanos;

    private Fanout(Topic topic, int receivers) {
        this.topic = topic;
        this.receivers = receivers;
        this.paceNanos = 1_000_000_000L * receivers / OFFERED_DELIVERIES_PER_SECOND;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            for (int receivers : new int[] {100, 1000}) {
                Fanout run = new Fanout(topic, receivers);
                String variant = (topic == Topic.BROADCAST ? "/broadcast" : "/chat/{room}") + ", " + receivers
                        + " receivers, " + MESSAGES + " msgs, 1 per " + run.paceNanos / 1_000_000 + " ms";
                cases.add(new Case("fanout", variant,
                        t -> (topic == Topic.BROADCAST ? t.broadcast() : t.chatRoomPrefix()) != null
                                && t.maxConnections() > receivers, run::run));
            }
        }
        return cases;
    }

    /** What every receiver saw. */
    private final class Deliveries {
        final long[] latencyMicros = new long[receivers * MESSAGES];
        final AtomicInteger count = new AtomicInteger();
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicLong lastDeliveryNanos = new AtomicLong();
        final AtomicInteger probed = new AtomicInteger();
        final AtomicInteger joined = new AtomicInteger();
    }

    private final class Receiver implements WsClient.Handler {
        final Deliveries deliveries;
        long lastSequence = -1;
        boolean probed;

        Receiver(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @Override
        public void text(WsClient client, String message) {
            long now = System.nanoTime();
            if (topic == Topic.CHAT && message.contains("\"type\":\"chat-joined\"")) {
                deliveries.joined.incrementAndGet();
            }
            int marker = topic == Topic.BROADCAST ? (message.startsWith("m:") ? 0 : -1)
                    : message.contains("\"type\":\"chat-message\"") ? message.indexOf("\"m:") + 1 : -1;
            if (marker < 0 || (topic == Topic.CHAT && marker == 0)) {
                if (!probed && message.contains("probe")) {
                    probed = true;
                    deliveries.probed.incrementAndGet();
                }
                return;
            }
            int colon = message.indexOf(':', marker + 2);
            int end = colon + 1;
            while (end < message.length() && Character.isDigit(message.charAt(end))) {
                end++;
            }
            long sequence = Long.parseLong(message.substring(marker + 2, colon));
            long sentNanos = Long.parseLong(message.substring(colon + 1, end));
            if (sequence <= lastSequence) {
                deliveries.outOfOrder.incrementAndGet();
            }
            lastSequence = Math.max(lastSequence, sequence);
            int slot = deliveries.count.getAndIncrement();
            if (slot < deliveries.latencyMicros.length) {
                deliveries.latencyMicros[slot] = (now - sentNanos) / 1_000;
            }
            deliveries.lastDeliveryNanos.accumulateAndGet(now, Math::max);
        }
    }

    private URI uri(Target target, String room) {
        return URI.create(topic == Topic.BROADCAST ? target.broadcast() : target.chatRoomPrefix() + room);
    }

    private String outgoing(String body) {
        return topic == Topic.BROADCAST ? body
                : "{\"type\":\"chat-message\",\"payload\":{\"message\":\"" + body + "\"}}";
    }

    private Map<String, Double> run(Target target) throws Exception {
        String room = "bench-" + Long.toHexString(System.nanoTime());
        Deliveries deliveries = new Deliveries();
        List<WsClient> clients = new ArrayList<>();
        try {
            Semaphore connecting = new Semaphore(CONNECT_CONCURRENCY);
            List<CompletableFuture<WsClient>> opening = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                connecting.acquire();
                int index = i;
                opening.add(WsClient.connect(uri(target.node(index), room), null, true, new Receiver(deliveries))
                        .whenComplete((c, e) -> connecting.release())
                        .thenApply(c -> {
                            if (topic == Topic.CHAT) {
                                c.sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"r" + index + "\"}}");
                            }
                            return c;
                        }));
            }
            for (CompletableFuture<WsClient> future : opening) {
                clients.add(future.get(60, TimeUnit.SECONDS));
            }
            Deliveries senderSide = new Deliveries();
            WsClient sender = WsClient.open(uri(target, room), new Receiver(senderSide));
            clients.add(sender);
            if (topic == Topic.CHAT) {
                sender.sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"sender\"}}");
                Poll.until(() -> deliveries.joined.get() == receivers && senderSide.joined.get() == 1, "chat joins");
            }
            // A receiver's open handshake can finish before the server has subscribed it: probe until all have one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (deliveries.probed.get() < receivers) {
                if (System.nanoTime() > deadline) {
                    throw new BenchFailure("only " + deliveries.probed.get() + " of " + receivers + " receivers subscribed");
                }
                sender.sendText(outgoing("probe")).get(10, TimeUnit.SECONDS);
                Server.pause(20);
            }
            long start = System.nanoTime();
            for (int sequence = 0; sequence < MESSAGES; sequence++) {
                long due = start + sequence * paceNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait); // not a spin: the client must not take a core from the server
                }
                sender.sendText(outgoing("m:" + sequence + ":" + System.nanoTime()));
            }
            int expected = receivers * MESSAGES;
            long lastCount = -1;
            long lastProgress = System.nanoTime();
            while (deliveries.count.get() < expected && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(10)) {
                int count = deliveries.count.get();
                if (count != lastCount) {
                    lastCount = count;
                    lastProgress = System.nanoTime();
                }
                Server.pause(10);
            }
            int delivered = Math.min(deliveries.count.get(), expected);
            Map<String, Double> figures = Case.figures();
            figures.put("p50 ms", Stats.percentile(deliveries.latencyMicros, delivered, 50) / 1000);
            figures.put("p99 ms", Stats.percentile(deliveries.latencyMicros, delivered, 99) / 1000);
            figures.put("deliveries/s", delivered / ((deliveries.lastDeliveryNanos.get() - start) / 1e9));
            figures.put("lost", (double) (expected - delivered));
            figures.put("out of order", (double) deliveries.outOfOrder.get());
            figures.put(Case.SERVED, (double) delivered);
            return figures;
        } finally {
            clients.forEach(WsClient::abort);
        }
    }
}
