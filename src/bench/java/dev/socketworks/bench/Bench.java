package dev.socketworks.bench;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark runner: starts Socketworks (Tomcat), Node's ws and websocketd on 127.0.0.1, runs the
 * chosen scenarios against each, repetitions interleaved across servers so drift hits all alike, and
 * writes target/bench/results.json and results.md with medians, ratios and CPU seconds.
 */
public final class Bench {

    /** In running order; storm restarts servers, so it comes last and leaves every other scenario a warm server. */
    static final List<String> SCENARIOS = List.of("echo-latency", "echo-throughput", "fanout", "churn",
            "chat-join-storm", "slow-consumer", "totals-contention", "arena", "program", "hostile", "storm");

    /**
     * The speed scenarios flood from one address on purpose (16 KiB echoes at full speed, 10,000
     * connections from 127.0.0.1): their server runs with the per-connection rate limits and the
     * per-address cap out of the way. The hostile scenario runs a server of its own with every default.
     */
    static final List<String> LIMITS_OUT_OF_THE_WAY = List.of("-Dsocketworks.rateMessagesPerSecond=1000000000",
            "-Dsocketworks.rateBurst=1000000000", "-Dsocketworks.rateBytesPerSecond=1099511627776",
            "-Dsocketworks.addressMessagesPerSecond=1000000000", "-Dsocketworks.addressBytesPerSecond=1099511627776",
            "-Dsocketworks.maxConnectionsPerAddress=10000000", "-Dsocketworks.maxConnections=10000000",
            "-Dsocketworks.arenaMaxPlayers=1000", "-Dsocketworks.chatRoomMessagesPerSecond=0");

    private static final int SOCKETWORKS_PORT = 18980;
    private static final int NODE_PORT = 18981;
    private static final int WEBSOCKETD_PORT = 18982;
    private static final int HOSTILE_PORT = 18983;
    /** What the cluster peer is measured on: what crosses Redis (the other scenarios would measure its first node alone). */
    private static final Set<String> CLUSTER_SCENARIOS = Set.of("fanout", "chat-join-storm", "totals-contention");
    private static final int CLUSTER_NODE_PORTS = 18984; // and 18985
    private static final int REDIS_PORT = 18986;
    private static final int HOSTILE_DECOY_PORT = 18987;
    private static final int NO_METRICS_PORT = 18988;
    private static final int CONTAINER_ECHO_PORT = 18989;
    /** The containers the same WAR is measured on (-Dbench.containers); those besides Tomcat on ports from 18990. */
    static final List<String> CONTAINERS = List.of("tomcat", "jetty", "wildfly", "payara", "liberty");
    private static final int FIRST_CONTAINER_PORT = 18990;
    /** Tomcat's own example echo endpoint (annotated, partial messages, basic remote): the container's floor. */
    static final String CONTAINER_ECHO = "container-echo";
    /** Jetty, which ships no echo example, serving {@link PlainEcho} alone: the floor for the WAR on Jetty. */
    static final String JETTY_ECHO = "jetty-echo";
    private static final int JETTY_ECHO_PORT = 18978;
    /** websocketd runs one process per connection; 10,000 of them would measure the kernel, not websocketd. */
    private static final int WEBSOCKETD_MAX_CONNECTIONS = 1_000;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int reps = Integer.parseInt(options.getOrDefault("reps", "3"));
        boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        Set<String> chosen = chosen(options.getOrDefault("scenarios", "all"));
        Set<String> peers = Arrays.stream(options.getOrDefault("peers", "").split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).collect(Collectors.toSet());
        Path out = Path.of(options.getOrDefault("out", "target/bench"));
        Files.createDirectories(out);
        System.setProperty("bench.hostileAttackers", options.getOrDefault("hostile-attackers", "all"));

        List<Server> started = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String container;
        try {
            String given = options.getOrDefault("target", "");
            if (!given.isBlank()) {
                targets.add(Target.socketworks("target", given.replaceAll("/+$", ""), null));
                container = "given target " + given;
            } else {
                Path tomcat = Path.of(options.get("tomcat"));
                boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
                System.setProperty("bench.profile", String.valueOf(profile));
                System.setProperty("bench.out", out.toString());
                boolean tuned = Boolean.parseBoolean(options.getOrDefault("tomcat-tuned", "true"));
                List<String> jvmOptions = Arrays.stream(options.getOrDefault("tomcat-jvm", "").split(" "))
                        .filter(o -> !o.isBlank()).toList();
                List<String> speedOptions = new ArrayList<>(LIMITS_OUT_OF_THE_WAY);
                speedOptions.addAll(jvmOptions);
                Server socketworks = Server.tomcat(tomcat, Path.of(options.get("war")), out, SOCKETWORKS_PORT, profile, tuned,
                        named(speedOptions, "tomcat"));
                started.add(socketworks);
                targets.add(Target.socketworks("socketworks", "ws://127.0.0.1:" + SOCKETWORKS_PORT + "/socketworks", socketworks));
                container = tomcat.getFileName().toString().replace("apache-tomcat-", "Apache Tomcat ")
                        + (tuned ? " (buffers as in server-config/tomcat)" : " (stock buffers)")
                        + (jvmOptions.isEmpty() ? "" : " with " + String.join(" ", jvmOptions));
                List<String> others = containers(options.getOrDefault("containers", "tomcat"));
                if (!others.isEmpty()) {
                    container += "; the same WAR with the same options on " + String.join(", ", others)
                            + " (stock settings, bound to 127.0.0.1)";
                }
                for (String other : others) {
                    int port = FIRST_CONTAINER_PORT + CONTAINERS.indexOf(other) - 1;
                    Path war = Path.of(options.get("war"));
                    List<String> containerOptions = named(speedOptions, other);
                    Server server = switch (other) {
                        case "jetty" -> Server.jetty(Path.of(options.get("jetty")), war, out, port, containerOptions);
                        case "wildfly" -> Server.wildfly(Path.of(options.get("wildfly")), war, out, port, containerOptions);
                        case "payara" -> Server.payaraMicro(Path.of(options.get("payara-micro")), war,
                                Path.of(options.get("server-config")), out, port, containerOptions);
                        case "liberty" -> Server.liberty(Path.of(options.get("liberty")), war, out, port, containerOptions);
                        default -> throw new IllegalArgumentException(other);
                    };
                    started.add(server);
                    targets.add(Target.socketworks(Results.CONTAINER_PREFIX + other,
                            "ws://127.0.0.1:" + port + "/socketworks", server));
                }
                if (peers.contains("cluster")) {
                    if (Server.onPath("redis-server")) {
                        // Two Tomcats sharing one Redis on this machine, clients spread over both.
                        Server redis = Server.redis(out, REDIS_PORT);
                        started.add(redis);
                        List<Target> nodes = new ArrayList<>();
                        for (int n = 0; n < 2; n++) {
                            List<String> nodeOptions = new ArrayList<>(speedOptions);
                            nodeOptions.add("-Dsocketworks.engine=redis://127.0.0.1:" + REDIS_PORT);
                            nodeOptions.add("-Dsocketworks.nodeName=bench-" + (n + 1));
                            int port = CLUSTER_NODE_PORTS + n;
                            Server node = Server.tomcat("cluster-" + (n + 1), tomcat, Path.of(options.get("war")), out, port,
                                    false, tuned, nodeOptions);
                            started.add(node);
                            nodes.add(Target.socketworks("cluster-" + (n + 1), "ws://127.0.0.1:" + port + "/socketworks", node));
                        }
                        targets.add(Target.cluster(Goals.CLUSTER, nodes, redis));
                    } else {
                        notes.add("cluster skipped: redis-server is not on the PATH (Debian: apt-get install redis-server)");
                    }
                }
                if (peers.contains("no-metrics")) {
                    // The same WAR with socketworks.metrics=off: what the metrics cost, measured in the same run.
                    List<String> offOptions = new ArrayList<>(speedOptions);
                    offOptions.add("-Dsocketworks.metrics=off");
                    Server off = Server.tomcat("no-metrics", tomcat, Path.of(options.get("war")), out, NO_METRICS_PORT, false, tuned,
                            offOptions);
                    started.add(off);
                    targets.add(Target.socketworks("no-metrics", "ws://127.0.0.1:" + NO_METRICS_PORT + "/socketworks", off));
                }
                if (peers.contains(CONTAINER_ECHO)) {
                    Server examples = Server.tomcatExamples(CONTAINER_ECHO, tomcat, out, CONTAINER_ECHO_PORT, tuned, jvmOptions);
                    started.add(examples);
                    targets.add(new Target(CONTAINER_ECHO, "ws://127.0.0.1:" + CONTAINER_ECHO_PORT + "/examples/websocket/echoAnnotation",
                            null, null, null, true, Integer.MAX_VALUE, examples, null));
                }
                if (peers.contains(JETTY_ECHO)) {
                    Server plain = Server.jetty(JETTY_ECHO, Path.of(options.get("jetty")), PlainEcho.war(out.resolve("plain-echo")),
                            "plain", out, JETTY_ECHO_PORT, named(jvmOptions, JETTY_ECHO));
                    started.add(plain);
                    targets.add(new Target(JETTY_ECHO, "ws://127.0.0.1:" + JETTY_ECHO_PORT + "/plain/plain-echo",
                            null, null, null, true, Integer.MAX_VALUE, plain, null));
                }
                if (peers.contains("node")) {
                    if (Server.onPath("node") && Server.onPath("npm")) {
                        Server node = Server.node(Path.of(options.get("node-dir")), out, NODE_PORT);
                        started.add(node);
                        String base = "ws://127.0.0.1:" + NODE_PORT;
                        targets.add(new Target("node-ws", base + "/echo", base + "/broadcast", null, null, true,
                                Integer.MAX_VALUE, node, null));
                    } else {
                        notes.add("node-ws skipped: node and npm are not on the PATH");
                    }
                }
                if (peers.contains("websocketd")) {
                    if (Server.onPath("websocketd")) {
                        Server websocketd = Server.websocketd(out, WEBSOCKETD_PORT);
                        started.add(websocketd);
                        String url = "ws://127.0.0.1:" + WEBSOCKETD_PORT + "/";
                        targets.add(new Target("websocketd", url, null, null, null,
                                false, WEBSOCKETD_MAX_CONNECTIONS, websocketd, url));
                    } else {
                        notes.add("websocketd skipped: not on the PATH (Debian: apt-get install websocketd)");
                    }
                }
            }
            notes.forEach(note -> System.out.println("bench: " + note));
            for (Target target : targets) {
                System.out.println("bench: warming up " + target.name() + " (not recorded)");
                EchoThroughput.warmUp(target, quick ? 1 : 3);
                EchoScenarios.churn(target, 100);
            }
            Results results = new Results(targets.stream().map(Target::name).toList());
            Path tomcatHome = options.containsKey("tomcat") ? Path.of(options.get("tomcat")) : null;
            Path war = options.containsKey("war") ? Path.of(options.get("war")) : null;
            for (Case benchCase : cases(chosen, quick, tomcatHome, war, out)) {
                List<Target> able = targets.stream().filter(benchCase.supports())
                        .filter(t -> t.otherNodes().isEmpty() || CLUSTER_SCENARIOS.contains(benchCase.scenario())).toList();
                if (able.isEmpty()) {
                    continue;
                }
                for (int rep = 1; rep <= reps; rep++) {
                    for (Target target : able) {
                        if (benchCase.freshServer() && target.server() != null) {
                            try {
                                target.server().restart();
                                EchoThroughput.warmUp(target, 1);
                            } catch (Exception e) {
                                // One server that does not come back (Payara Micro once undeployed itself right
                                // after a restart) is its own failure, not the end of every other server's run.
                                System.out.printf("bench: %s on %s, run %d of %d: failed to restart: %s%n",
                                        benchCase.id(), target.name(), rep, reps, e);
                                results.add(benchCase, target.name(), new Results.Run(Map.of(), Double.NaN, Double.NaN,
                                        "the server did not come back after a restart: " + e));
                                continue;
                            }
                        }
                        waitUntilQuiet(started);
                        System.out.printf("bench: %s on %s, run %d of %d%n", benchCase.id(), target.name(), rep, reps);
                        results.add(benchCase, target.name(), measure(benchCase, target));
                    }
                }
                System.out.print(results.markdownFor(benchCase));
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            document.put("machine", Machine.describe());
            document.put("container", container);
            document.put("repetitions", reps);
            document.put("quick", quick);
            document.put("notes", notes);
            document.put("cases", results.json());
            document.put("goals", Goals.evaluate(results));
            try (Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withFormatting(true))) {
                Files.writeString(out.resolve("results.json"), jsonb.toJson(document));
            }
            String markdown = results.markdown(container, reps, notes) + results.containersMarkdown()
                    + Goals.markdown(Goals.evaluate(results));
            Files.writeString(out.resolve("results.md"), markdown);
            System.out.println();
            System.out.println(markdown);
            System.out.println("bench: wrote " + out.resolve("results.json") + " and " + out.resolve("results.md"));
        } finally {
            started.forEach(Server::close);
        }
        System.exit(0); // the JDK WebSocket client's selector thread is not a daemon
    }

    private static List<Case> cases(Set<String> chosen, boolean quick, Path tomcat, Path war, Path out) {
        List<Case> cases = new ArrayList<>();
        if (chosen.contains("echo-latency")) {
            cases.addAll(EchoScenarios.latency());
        }
        if (chosen.contains("echo-throughput")) {
            cases.addAll(EchoThroughput.cases(quick ? 2 : 5));
        }
        if (chosen.contains("fanout")) {
            cases.addAll(Fanout.cases());
        }
        if (chosen.contains("chat-join-storm")) {
            cases.addAll(JoinStorm.cases());
        }
        if (chosen.contains("churn")) {
            cases.addAll(EchoScenarios.churn());
        }
        if (chosen.contains("slow-consumer")) {
            cases.addAll(SlowConsumer.cases());
        }
        if (chosen.contains("totals-contention")) {
            cases.addAll(TotalsContention.cases(quick));
        }
        if (chosen.contains("arena")) {
            cases.addAll(ArenaPlay.cases(quick));
        }
        if (chosen.contains("program")) {
            cases.addAll(ProgramScenarios.cases(quick ? 2 : 5));
        }
        if (chosen.contains("hostile") && tomcat != null && war != null) {
            cases.addAll(Hostile.cases(tomcat, war, out, HOSTILE_PORT, HOSTILE_DECOY_PORT));
        }
        if (chosen.contains("storm")) {
            cases.addAll(Storm.cases());
        }
        return cases;
    }

    /** One run of one case, with the CPU seconds the server and this client spent on it. */
    private static Results.Run measure(Case benchCase, Target target) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double serverBefore = target.serverCpuSeconds();
        List<Server> parts = new ArrayList<>();
        if (!target.alsoMeasured().isEmpty()) {
            parts.add(target.server());
            parts.addAll(target.alsoMeasured());
        }
        double[] partsBefore = parts.stream().mapToDouble(Server::cpuSeconds).toArray();
        long clientBefore = os.getProcessCpuTime();
        Map<String, Double> figures;
        String error = null;
        try {
            figures = benchCase.body().run(target);
        } catch (BenchFailure e) {
            figures = Map.of();
            error = e.getMessage();
        } catch (Exception e) {
            figures = Map.of();
            error = e.toString();
        }
        double serverCpu = target.serverCpuSeconds() - serverBefore;
        if (!parts.isEmpty() && error == null) {
            // A cluster's CPU, process by process: each node and the engine.
            figures = new LinkedHashMap<>(figures);
            for (int i = 0; i < parts.size(); i++) {
                figures.put("CPU s " + parts.get(i).name, parts.get(i).cpuSeconds() - partsBefore[i]);
            }
        }
        double clientCpu = (os.getProcessCpuTime() - clientBefore) / 1e9;
        Double served = figures.get(Case.SERVED);
        if (served != null && served > 0 && !Double.isNaN(serverCpu)) {
            Map<String, Double> headlined = Case.figures();
            headlined.put(Case.CPU_PER_MESSAGE, serverCpu * 1e6 / served);
            headlined.putAll(figures);
            figures = headlined;
        }
        if (error != null) {
            System.out.println("bench:   failed: " + error);
        }
        return new Results.Run(figures, serverCpu, clientCpu, error);
    }

    /** Waits (at most 30 s) until every server uses under a fifth of a core, so one case's tail never bleeds into the next. */
    private static void waitUntilQuiet(List<Server> servers) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Server server : servers) {
            double before = server.cpuSeconds();
            while (System.nanoTime() < deadline) {
                Server.pause(250);
                double now = server.cpuSeconds();
                if (now - before < 0.05) {
                    break;
                }
                before = now;
            }
        }
    }

    /** The JVM options with {server} replaced by the container's name: one JFR recording file per container. */
    private static List<String> named(List<String> jvmOptions, String container) {
        return jvmOptions.stream().map(option -> option.replace("{server}", container)).toList();
    }

    /** The containers besides Tomcat (which always runs: the other peers and the hostile scenario build on it). */
    private static List<String> containers(String list) {
        List<String> named = list.equals("all") ? CONTAINERS
                : Arrays.stream(list.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
        for (String name : named) {
            if (!CONTAINERS.contains(name)) {
                throw new IllegalArgumentException("unknown container '" + name + "'; known: " + CONTAINERS);
            }
        }
        return named.stream().filter(c -> !c.equals("tomcat")).toList();
    }

    private static Set<String> chosen(String list) {
        if (list.isBlank() || list.equals("all")) {
            return Set.copyOf(SCENARIOS);
        }
        Set<String> chosen = Arrays.stream(list.split(",")).map(String::trim).collect(Collectors.toSet());
        for (String name : chosen) {
            if (!SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + SCENARIOS);
            }
        }
        return chosen;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 || value == Math.rint(value) ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
