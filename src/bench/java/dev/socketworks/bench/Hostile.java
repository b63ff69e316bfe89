package dev.socketworks.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * hostile: 100 chat members in one room, ten of them talking (10 messages/s each), an echo client
 * asking every 100 ms and an arena player steering, measured for a while alone, then while the same
 * attack hits a decoy server of its own on this machine (the control: what sharing two cores with the
 * attack's load and its defence costs), then beside attackers from one address: a flooder in their room, a history filler (room after room of
 * the longest messages), a parser-bomb sender (1 KiB of nested brackets), a name bomber (64 KiB
 * normaliser bombs to /hello), twenty connections in the members' room at 90 messages/s each, twenty
 * players in the arena saying 60 times a second, and up to 100 idle connections with fat upgrade
 * requests (a 1,000-entry Sec-WebSocket-Protocol list). Each attacker reconnects whenever it is cut.
 * Reported: the members' delivery p50/p99, the echo round trip p99 and the arena player's p99 gap
 * between frames in each phase and their ratios to alone and to the control, members cut, what the attackers were closed with,
 * and the server's heap after a full GC with every attacker still connected. Runs against a
 * Socketworks of its own with every default (rate limits included) and -Xmx512m, the heap the attack
 * report used.
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
    /** The many-connection address: each of these in the members' room, each under its own rate limit. */
    static final int CROWD = 20;
    static final long CROWD_MESSAGES_PER_SECOND = 90;
    /** Players saying as fast as a game client could, in the arena the measured player plays in. */
    static final int SAYERS = 20;
    static final long SAYS_PER_SECOND = 60;
    /** Idle connections, each with a fat upgrade request, held open through the attack. */
    static final int FAT_UPGRADES = 100;
    /** Where every attacking connection comes from (X-Forwarded-For): one address, many connections. */
    static final String ATTACKER = "203.0.113.66";
    /** The same attack, unmeasured, before the members are: so that its code is compiled. */
    static final String WARM_UP_ATTACKER = "203.0.113.99";

    private final Supplier<Server> server;
    private final Supplier<Server> decoy;
    private String attackerAddress = ATTACKER; // set up on the runner's thread only
    private final String base;
    private final String decoyBase;

    private Hostile(Supplier<Server> server, String base, Supplier<Server> decoy, String decoyBase) {
        this.server = server;
        this.base = base;
        this.decoy = decoy;
        this.decoyBase = decoyBase;
    }

    /**
     * The defended server and the decoy (the same, on {@code decoyPort}: what the control phase attacks)
     * are started (or restarted, for each repetition) only when the case runs.
     */
    static List<Case> cases(Path tomcat, Path war, Path out, int port, int decoyPort) {
        Supplier<Server> server = started(tomcat, war, out, "socketworks", port);
        Supplier<Server> decoy = started(tomcat, war, out, "decoy", decoyPort);
        Hostile hostile = new Hostile(server, "ws://127.0.0.1:" + port + "/socketworks",
                decoy, "ws://127.0.0.1:" + decoyPort + "/socketworks");
        return List.of(new Case("hostile", MEMBERS + " members, " + SPEAKERS + " talking; flood, history filler, parser bombs, "
                + "name bombs, a " + CROWD + "-connection address, a say flood, fat upgrades",
                t -> t.name().equals("socketworks") && t.server() != null, t -> hostile.run()));
    }

    private static Supplier<Server> started(Path tomcat, Path war, Path out, String name, int port) {
        Server[] started = new Server[1];
        return () -> {
            try {
                if (started[0] == null) {
                    Path work = out.resolve("hostile");
                    // Behind a trusted proxy (127.0.0.1, this client): X-Forwarded-For gives every member and
                    // probe an address of its own, and every attacking connection the attacker's one.
                    started[0] = Server.tomcat(name, tomcat, war, work, port, Boolean.getBoolean("bench.profile"), true,
                            List.of("-Xmx512m", "-Dsocketworks.trustedProxies=127.0.0.1"));
                    Runtime.getRuntime().addShutdownHook(new Thread(started[0]::close));
                } else {
                    started[0].restart();
                }
                return started[0];
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot start the hostile scenario's " + name + " server: " + e.getMessage(), e);
            }
        };
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
            WsClient member = WsClient.connectFrom("10.1." + i / 250 + "." + (i % 250 + 1), room, List.of("chat.v1"), true, (client, message) -> {
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

        // The attack's code paths compiled before anything is measured: a fresh server's JIT compiler took
        // as much CPU as its request threads in the attacked phase. The members talk meanwhile, so that
        // the server and this client compile for the mix they meet when attacked: compiled for either
        // alone, both recompiled (half a second of a core each) as the measured attack began. From
        // another address, so that no penalty of the warm-up carries over to the attack measured. The
        // decoy is warmed up the same way first.
        Server decoyServer = decoy.get();
        for (String target : List.of(decoyBase, base)) {
            Attack warmUp = new Attack(target, WARM_UP_ATTACKER);
            warmUp.start();
            phase(members); // unmeasured
            warmUp.stop();
        }
        Server.pause(2_000);

        Probes probes = Probes.start(base);
        Map<String, Double> figures = Case.figures();
        double cpuBefore = defended.cpuSeconds();
        probes.measuring(true);
        double[] alone = phase(members);
        probes.measuring(false);
        double[] echoAlone = probes.echoP99AndMax();
        double[] arenaAlone = probes.arenaGapP99AndMax();
        double cpuAlone = defended.cpuSeconds() - cpuBefore;

        // The control: the same attack on the decoy, a server of its own on this machine. What the
        // members and probes lose now is what sharing two cores with the attack's load and its defence
        // costs, with nothing attacking the server they use.
        Attack control = new Attack(decoyBase, ATTACKER);
        double decoyCpuBefore = decoyServer.cpuSeconds();
        control.start();
        probes.measuring(true);
        double[] besideDecoy = phase(members);
        probes.measuring(false);
        control.stop();
        double[] echoBesideDecoy = probes.echoP99AndMax();
        double[] arenaBesideDecoy = probes.arenaGapP99AndMax();
        double decoyCpu = decoyServer.cpuSeconds() - decoyCpuBefore;
        Server.pause(2_000);

        Attack attack = new Attack(base, ATTACKER);
        attack.start();
        cpuBefore = defended.cpuSeconds();
        probes.measuring(true);
        double[] attacked = phase(members);
        probes.measuring(false);
        double cpuAttacked = defended.cpuSeconds() - cpuBefore;
        // With every attacker still connected: what the attack holds on the heap.
        double heapAttacked = defended.heapAfterGc().orElse(Double.NaN) / 1048576.0;
        long fatStillOpen = attack.fat.stream().filter(c -> !c.closedFuture().isDone()).count();
        attack.stop();
        double[] echoAttacked = probes.echoP99AndMax();
        double[] arenaAttacked = probes.arenaGapP99AndMax();
        probes.close();
        decoyServer.close();
        List<String> attackerCloses = attack.closes;

        figures.put("alone p50 ms", alone[0]);
        figures.put("alone p99 ms", alone[1]);
        figures.put("attacked p50 ms", attacked[0]);
        figures.put("attacked p99 ms", attacked[1]);
        figures.put("p99 ratio", attacked[1] / alone[1]);
        figures.put("control p99 ms", besideDecoy[1]);
        figures.put("control p99 ratio", besideDecoy[1] / alone[1]);
        figures.put("p99 ratio to control", attacked[1] / besideDecoy[1]);
        figures.put("members cut", (double) members.cut.get());
        figures.put("attack msgs sent", (double) attack.messages.get());
        figures.put("control attack msgs sent", (double) control.messages.get());
        figures.put("attackers cut 1008", (double) attackerCloses.stream().filter(c -> c.startsWith("1008")).count());
        figures.put("echo p99 ms alone", echoAlone[0]);
        figures.put("echo p99 ms attacked", echoAttacked[0]);
        figures.put("echo max ms attacked", echoAttacked[1]);
        figures.put("echo p99 ratio", echoAttacked[0] / echoAlone[0]);
        figures.put("echo p99 ms control", echoBesideDecoy[0]);
        figures.put("echo p99 ratio to control", echoAttacked[0] / echoBesideDecoy[0]);
        figures.put("arena gap p99 ms alone", arenaAlone[0]);
        figures.put("arena gap p99 ms attacked", arenaAttacked[0]);
        figures.put("arena gap max ms attacked", arenaAttacked[1]);
        figures.put("arena gap p99 ms control", arenaBesideDecoy[0]);
        figures.put("fat upgrades held", (double) fatStillOpen);
        figures.put("heap after GC MiB attacked", heapAttacked);
        figures.put("heap after GC MiB", defended.heapAfterGc().orElse(Double.NaN) / 1048576.0);
        figures.put("server CPU s alone", cpuAlone);
        figures.put("server CPU s attacked", cpuAttacked);
        figures.put("decoy CPU s control", decoyCpu);
        members.clients.forEach(WsClient::close);
        System.out.println("bench:   attackers were closed with: " + summarize(attackerCloses));
        return figures;
    }

    /** One run of every chosen attacker against the server at {@code target}, all from {@code address}. */
    private final class Attack {
        final AtomicBoolean attacking = new AtomicBoolean(true);
        final List<String> closes = new CopyOnWriteArrayList<>();
        final AtomicLong messages = new AtomicLong();
        final List<Thread> threads;
        final String target;
        final String address;
        List<WsClient> fat = List.of();

        Attack(String target, String address) {
            this.target = target;
            this.address = address;
            this.threads = attackers(target, address, attacking, closes, messages);
        }

        void start() {
            Set<String> chosen = chosen();
            fat = chosen.contains("all") || chosen.contains("fat") ? fatUpgrades(target, address) : List.of();
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            attacking.set(false);
            for (Thread attacker : threads) {
                attacker.join(30_000);
            }
            fat.forEach(WsClient::close);
        }
    }

    private static Set<String> chosen() {
        return Set.of(System.getProperty("bench.hostileAttackers", "all").split(","));
    }

    /** Every attacker (or those -Dbench.hostileAttackers names), each connection from {@code address}; not started. */
    private List<Thread> attackers(String target, String address, AtomicBoolean attacking, List<String> attackerCloses,
                                   AtomicLong attackMessages) {
        URI room = URI.create(target + "/chat/hostile");
        attackerAddress = address; // read by attacker() as each is made
        List<Thread> attackers = new ArrayList<>(List.of(
                attacker("flood", attacking, attackerCloses, attackMessages, room,
                        n -> "{\"type\":\"chat-message\",\"payload\":{\"message\":\"flood " + n + "\"}}", null),
                attacker("history filler", attacking, attackerCloses, attackMessages, null,
                        n -> "{\"type\":\"chat-message\",\"payload\":{\"message\":\"" + "\\\"".repeat(8000) + "\"}}",
                        n -> URI.create(target + "/chat/fill-" + n / 50)),
                attacker("parser bombs", attacking, attackerCloses, attackMessages, room, n -> "[".repeat(1024), null)));
        String nameBomb = "a" + "\u0301".repeat(16 * 1024) + "\u0316".repeat(16 * 1024); // 64 KiB of UTF-8
        attackers.add(attacker("name bombs", attacking, attackerCloses, attackMessages, URI.create(target + "/hello"), null,
                null, ATTACK_MESSAGES_PER_SECOND, n -> nameBomb, null));
        for (int i = 0; i < CROWD; i++) {
            attackers.add(attacker("crowd " + i, attacking, attackerCloses, attackMessages, room, "chat.v1",
                    "{\"type\":\"chat-join\",\"payload\":{\"username\":\"crowd " + i + "\"}}", CROWD_MESSAGES_PER_SECOND,
                    n -> "{\"type\":\"chat-message\",\"payload\":{\"message\":\"crowd " + n + "\"}}", null));
        }
        for (int i = 0; i < SAYERS; i++) {
            attackers.add(attacker("sayer " + i, attacking, attackerCloses, attackMessages, URI.create(target + "/arena/" + Probes.ARENA),
                    "arena.v1", "join sayer" + i, SAYS_PER_SECOND, n -> "say " + "x".repeat(200) + " " + n, null));
        }
        Set<String> chosen = chosen();
        if (!chosen.contains("all")) { // one kind at a time, to find which costs what (-Dbench.hostileAttackers=crowd,sayer)
            attackers.removeIf(attacker -> chosen.stream().noneMatch(kind -> attacker.getName().startsWith("hostile-" + kind)));
        }
        return attackers;
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
    private Thread attacker(String name, AtomicBoolean attacking, List<String> closes, AtomicLong sent,
                            URI fixed, Payload payload, Destination destination) {
        return attacker(name, attacking, closes, sent, fixed, "chat.v1",
                "{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + name + "\"}}", ATTACK_MESSAGES_PER_SECOND,
                payload, destination);
    }

    /** As above, on any endpoint: {@code join} (if any) is sent first after every (re)connection. */
    private Thread attacker(String name, AtomicBoolean attacking, List<String> closes, AtomicLong sent,
                            URI fixed, String subprotocol, String join, long perSecond, Payload payload,
                            Destination destination) {
        String address = attackerAddress;
        Thread thread = new Thread(() -> {
            long n = 0;
            long pace = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            while (attacking.get()) {
                URI uri = fixed != null ? fixed : destination.next(n);
                WsClient client;
                try {
                    client = WsClient.connectFrom(WsClient.ATTACK_HTTP, address, uri, subprotocol == null ? List.of() : List.of(subprotocol), true,
                                    (c, m) -> { })
                            .orTimeout(10, TimeUnit.SECONDS).join();
                } catch (CompletionException refused) {
                    Server.pause(100);
                    continue;
                }
                try {
                    if (join != null) {
                        client.sendText(join).join();
                    }
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

    /**
     * Idle connections to the members' room, each offering 1,000 subprotocols (7 KB) with chat.v1 last,
     * as many as the address may still open: a 512 MB server used to keep 266 KiB of each.
     */
    private List<WsClient> fatUpgrades(String target, String address) {
        List<String> offered = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            offered.add("p" + i + "xx");
        }
        offered.add("chat.v1");
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < FAT_UPGRADES; i++) {
            try {
                clients.add(WsClient.connectFrom(WsClient.ATTACK_HTTP, address, URI.create(target + "/chat/fat"), offered, true, (c, m) -> { })
                        .orTimeout(10, TimeUnit.SECONDS).join());
            } catch (CompletionException refused) {
                break; // the address's connection cap: the rest would be refused too
            }
        }
        return clients;
    }

    private static String summarize(List<String> closes) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        closes.forEach(c -> counts.merge(c, 1L, Long::sum));
        return counts.toString();
    }
}
