package dev.socketworks.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * hostile: 100 chat members in one room, ten of them talking (10 messages/s each), measured for a
 * while alone and then beside three attackers from the same address: a flooder in their room, a
 * history filler (room after room of the longest messages), and a parser-bomb sender (1 KiB of
 * nested brackets, as fast as it can). Each attacker reconnects whenever it is cut. Reported: the
 * members' delivery p50/p99 in both phases and their ratio, members cut, what the attackers were
 * closed with, and the server's heap after a full GC at the end. Runs against a Socketworks of its
 * own with every default (rate limits included) and -Xmx512m, the heap the attack report used.
 */
final class Hostile {

    static final int MEMBERS = 100;
    static final int SPEAKERS = 10;
    static final long SPEAK_EVERY_MS = 100;
    static final long PHASE_MS = 10_000;
    /**
     * Each attacker's pace: 50 times the default rate limit, and bounded so the attackers, which
     * share this machine's two cores with the members' client, measure the server's defences rather
     * than the load generator's CPU.
     */
    static final long ATTACK_MESSAGES_PER_SECOND = 5_000;

    private final Supplier<Server> server;
    private final String base;

    private Hostile(Supplier<Server> server, String base) {
        this.server = server;
        this.base = base;
    }

    /** The defended server is started (or restarted, for each repetition) only when the case runs. */
    static List<Case> cases(Path tomcat, Path war, Path out, int port) {
        Server[] started = new Server[1];
        Supplier<Server> server = () -> {
            try {
                if (started[0] == null) {
                    Path work = out.resolve("hostile");
                    started[0] = Server.tomcat(tomcat, war, work, port, false, true, List.of("-Xmx512m"));
                    Runtime.getRuntime().addShutdownHook(new Thread(started[0]::close));
                } else {
                    started[0].restart();
                }
                return started[0];
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot start the hostile scenario's server: " + e.getMessage(), e);
            }
        };
        Hostile hostile = new Hostile(server, "ws://127.0.0.1:" + port + "/socketworks");
        return List.of(new Case("hostile", MEMBERS + " members, " + SPEAKERS + " talking; flood, history filler, parser bombs",
                t -> t.name().equals("socketworks") && t.server() != null, t -> hostile.run()));
    }

    private final class Members {
        final List<WsClient> clients = new ArrayList<>();
        final AtomicInteger cut = new AtomicInteger();
        final AtomicBoolean measuring = new AtomicBoolean();
        final long[] latencyMicros = new long[MEMBERS * SPEAKERS * (int) (PHASE_MS / SPEAK_EVERY_MS) * 2];
        final AtomicInteger count = new AtomicInteger();

        void record(String message) {
            int at = message.indexOf("\"message\":\"t:");
            if (at < 0 || !measuring.get()) {
                return;
            }
            int start = at + "\"message\":\"t:".length();
            long sent = Long.parseLong(message.substring(start, message.indexOf('"', start)));
            int slot = count.getAndIncrement();
            if (slot < latencyMicros.length) {
                latencyMicros[slot] = (System.nanoTime() - sent) / 1000;
            }
        }
    }

    private Map<String, Double> run() throws Exception {
        Server defended = server.get();
        URI room = URI.create(base + "/chat/hostile");
        Members members = new Members();
        AtomicInteger joined = new AtomicInteger();
        for (int i = 0; i < MEMBERS; i++) {
            WsClient member = WsClient.connect(room, "chat.v1", true, (client, message) -> {
                if (message.contains("\"type\":\"chat-joined\"")) {
                    joined.incrementAndGet();
                }
                members.record(message);
            }).orTimeout(30, TimeUnit.SECONDS).join();
            member.closedFuture().thenRun(members.cut::incrementAndGet);
            member.sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"member " + i + "\"}}");
            members.clients.add(member);
        }
        Poll.until(() -> joined.get() == MEMBERS, "every member joined");

        Map<String, Double> figures = Case.figures();
        double cpuBefore = defended.cpuSeconds();
        double[] alone = phase(members);
        double cpuAlone = defended.cpuSeconds() - cpuBefore;
        AtomicBoolean attacking = new AtomicBoolean(true);
        List<String> attackerCloses = new CopyOnWriteArrayList<>();
        AtomicLong attackMessages = new AtomicLong();
        List<Thread> attackers = List.of(
                attacker("flood", attacking, attackerCloses, attackMessages, room,
                        n -> "{\"type\":\"chat-message\",\"payload\":{\"message\":\"flood " + n + "\"}}", null),
                attacker("history filler", attacking, attackerCloses, attackMessages, null,
                        n -> "{\"type\":\"chat-message\",\"payload\":{\"message\":\"" + "\\\"".repeat(8000) + "\"}}",
                        n -> URI.create(base + "/chat/fill-" + n / 50)),
                attacker("parser bombs", attacking, attackerCloses, attackMessages, room, n -> "[".repeat(1024), null));
        attackers.forEach(Thread::start);
        cpuBefore = defended.cpuSeconds();
        double[] attacked = phase(members);
        double cpuAttacked = defended.cpuSeconds() - cpuBefore;
        attacking.set(false);
        for (Thread attacker : attackers) {
            attacker.join(30_000);
        }

        figures.put("alone p50 ms", alone[0]);
        figures.put("alone p99 ms", alone[1]);
        figures.put("attacked p50 ms", attacked[0]);
        figures.put("attacked p99 ms", attacked[1]);
        figures.put("p99 ratio", attacked[1] / alone[1]);
        figures.put("members cut", (double) members.cut.get());
        figures.put("attack msgs sent", (double) attackMessages.get());
        figures.put("attackers cut 1008", (double) attackerCloses.stream().filter(c -> c.startsWith("1008")).count());
        figures.put("heap after GC MiB", defended.heapAfterGc().orElse(Double.NaN) / 1048576.0);
        figures.put("server CPU s alone", cpuAlone);
        figures.put("server CPU s attacked", cpuAttacked);
        members.clients.forEach(WsClient::close);
        System.out.println("bench:   attackers were closed with: " + summarize(attackerCloses));
        return figures;
    }

    /** The ten speakers talk for one phase; returns the members' delivery p50 and p99 in ms. */
    private double[] phase(Members members) throws BenchFailure {
        members.count.set(0);
        members.measuring.set(true);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PHASE_MS);
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            for (int s = 0; s < SPEAKERS; s++) {
                members.clients.get(s).sendText("{\"type\":\"chat-message\",\"payload\":{\"message\":\"t:"
                        + System.nanoTime() + "\"}}");
            }
            next += TimeUnit.MILLISECONDS.toNanos(SPEAK_EVERY_MS);
            Server.pause(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        Server.pause(2000); // stragglers
        members.measuring.set(false);
        int n = Math.min(members.latencyMicros.length, members.count.get());
        if (n == 0) {
            throw new BenchFailure("no chat message was delivered to any member");
        }
        return new double[] {Stats.percentile(members.latencyMicros, n, 50) / 1000.0,
                Stats.percentile(members.latencyMicros, n, 99) / 1000.0};
    }

    private interface Payload {
        String next(long n);
    }

    private interface Destination {
        URI next(long n);
    }

    /**
     * A thread that connects (to {@code fixed}, or to where {@code destination} says for each
     * message number), joins, and sends as fast as the server takes it, reconnecting after every
     * close, until {@code attacking} is cleared.
     */
    private static Thread attacker(String name, AtomicBoolean attacking, List<String> closes, AtomicLong sent,
                                   URI fixed, Payload payload, Destination destination) {
        Thread thread = new Thread(() -> {
            long n = 0;
            long pace = TimeUnit.SECONDS.toNanos(1) / ATTACK_MESSAGES_PER_SECOND;
            long next = System.nanoTime();
            while (attacking.get()) {
                URI uri = fixed != null ? fixed : destination.next(n);
                WsClient client;
                try {
                    client = WsClient.connect(uri, "chat.v1", true, (c, m) -> { })
                            .orTimeout(10, TimeUnit.SECONDS).join();
                } catch (CompletionException refused) {
                    Server.pause(100);
                    continue;
                }
                try {
                    client.sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + name + "\"}}").join();
                    URI here = uri;
                    while (attacking.get() && !client.closedFuture().isDone()
                            && (fixed != null || destination.next(n).equals(here))) {
                        client.sendText(payload.next(n++)).get(10, TimeUnit.SECONDS);
                        sent.incrementAndGet();
                        next += pace;
                        java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                    }
                } catch (Exception cut) {
                    // closed by the server mid-send: reconnect below
                }
                if (client.closedFuture().isDone()) {
                    closes.add(client.closedFuture().join() + " " + client.closeReason());
                } else {
                    client.close(); // the filler moves on to its next room, or the phase is over
                }
            }
        }, "hostile-" + name);
        thread.setDaemon(true);
        return thread;
    }

    private static String summarize(List<String> closes) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        closes.forEach(c -> counts.merge(c, 1L, Long::sum));
        return counts.toString();
    }
}
