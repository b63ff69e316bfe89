package dev.socketworks.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The goals of the performance issue, each checked on the medians of this run: Socketworks against
 * Node's ws (and websocketd for /run, and Tomcat's own echo example for what our code adds), all
 * measured in the same run. A goal whose peer did not run is "not measured", never met.
 */
final class Goals {

    private static final String US = "socketworks";
    static final String PEER = "node-ws";
    static final String CLUSTER = "2 nodes + Redis";

    private Goals() {
    }

    static List<Map<String, Object>> evaluate(Results results) {
        List<Map<String, Object>> goals = new ArrayList<>();
        // Against Node and websocketd the goals are on the default container: the run command's (Jetty)
        // wherever it ran this figure, else Tomcat, and the goal says which.
        for (String scenario : List.of("echo-throughput", "fanout")) {
            for (String variant : results.variants(scenario)) {
                String us = ours(results, scenario, variant, Case.CPU_PER_MESSAGE);
                double ours = results.median(scenario, variant, us, Case.CPU_PER_MESSAGE);
                double peer = results.median(scenario, variant, PEER, Case.CPU_PER_MESSAGE);
                goals.add(goal(scenario + " " + shortly(variant) + ": server CPU µs/msg ≤ 1.0 × node-ws" + on(us), ours, peer,
                        ours <= peer));
            }
        }
        String latencyOn = ours(results, "echo-latency", "", "p50 µs");
        double ourP50 = results.median("echo-latency", "", latencyOn, "p50 µs");
        double peerP50 = results.median("echo-latency", "", PEER, "p50 µs");
        goals.add(goal("echo p50 RTT ≤ 1.2 × node-ws" + on(latencyOn), ourP50, peerP50, ourP50 <= 1.2 * peerP50));

        for (String variant : results.variants("echo-throughput")) {
            if (variant.contains("KiB")) {
                String us = ours(results, "echo-throughput", variant, "msgs/s");
                double ours = results.median("echo-throughput", variant, us, "msgs/s");
                double peer = results.median("echo-throughput", variant, PEER, "msgs/s");
                goals.add(goal("echo " + shortly(variant) + ": msgs/s ≥ 1.0 × node-ws" + on(us), ours, peer, ours >= peer));
            }
        }

        String fanoutOn = ours(results, "fanout", "/broadcast, 1000", "p99 ms");
        double ourP99 = results.median("fanout", "/broadcast, 1000", fanoutOn, "p99 ms");
        double peerP99 = results.median("fanout", "/broadcast, 1000", PEER, "p99 ms");
        double lost = results.median("fanout", "/broadcast, 1000", fanoutOn, "lost");
        goals.add(goal("fan-out to 1,000: p99 ≤ node-ws, 0 lost" + on(fanoutOn), ourP99, peerP99, ourP99 <= peerP99 && lost == 0));

        // The larger of RSS and heap growth: RSS can lag behind heap pages committed earlier.
        String stormOn = ours(results, "storm", "10000", "RSS KiB/conn");
        double perConnection = Math.max(results.median("storm", "10000", stormOn, "RSS KiB/conn"),
                results.median("storm", "10000", stormOn, "heap KiB/conn"));
        goals.add(goal("≤ 16 KiB per idle connection (10,000; larger of RSS and heap)" + on(stormOn), perConnection, 16,
                perConnection <= 16));

        String churnOn = ours(results, "churn", "", "cycles/s");
        double ourChurn = results.median("churn", "", churnOn, "cycles/s");
        double peerChurn = results.median("churn", "", PEER, "cycles/s");
        goals.add(goal("churn cycles/s ≥ node-ws" + on(churnOn), ourChurn, peerChurn, ourChurn >= peerChurn));

        // What our code adds on top of the container: the same Tomcat, set up alike, serving its own example.
        for (String variant : results.variants("echo-throughput")) {
            double ours = results.median("echo-throughput", variant, US, Case.CPU_PER_MESSAGE);
            double floor = results.median("echo-throughput", variant, Bench.CONTAINER_ECHO, Case.CPU_PER_MESSAGE);
            goals.add(goal("echo " + shortly(variant) + ": server CPU µs/msg ≤ 1.1 × Tomcat's example echo", ours, floor,
                    ours <= 1.1 * floor));
        }
        // The same on Jetty (the run command's container): the WAR against a plain echo alone on Jetty.
        for (String variant : results.variants("echo-throughput")) {
            double ours = results.median("echo-throughput", variant, Results.CONTAINER_PREFIX + "jetty", Case.CPU_PER_MESSAGE);
            double floor = results.median("echo-throughput", variant, Bench.JETTY_ECHO, Case.CPU_PER_MESSAGE);
            if (!Double.isNaN(ours) && !Double.isNaN(floor)) {
                goals.add(goal("echo " + shortly(variant) + " on Jetty: server CPU µs/msg ≤ 1.1 × a plain echo on Jetty", ours, floor,
                        ours <= 1.1 * floor));
            }
        }

        String programOn = ours(results, "program", "churn", "cycles/s");
        double ourProgramChurn = results.median("program", "churn", programOn, "cycles/s");
        double websocketdChurn = results.median("program", "churn", "websocketd", "cycles/s");
        goals.add(goal("/run churn cycles/s ≥ websocketd" + on(programOn), ourProgramChurn, websocketdChurn,
                ourProgramChurn >= websocketdChurn));
        String programLatencyOn = ours(results, "program", "latency", "p99 µs");
        double ourProgramP99 = results.median("program", "latency", programLatencyOn, "p99 µs");
        double websocketdP99 = results.median("program", "latency", "websocketd", "p99 µs");
        goals.add(goal("/run latency p99 ≤ 1.5 × websocketd" + on(programLatencyOn), ourProgramP99, websocketdP99,
                ourProgramP99 <= 1.5 * websocketdP99));

        // Over the measured window, as every other scenario (the players' arrival before it is in the
        // whole-run "tick p99 ms" beside it).
        String arenaOn = ours(results, "arena", "500 players", "window tick p99 ms");
        double tickP99 = results.median("arena", "500 players", arenaOn, "window tick p99 ms");
        goals.add(goal("arena tick p99 at 500 players ≤ 10 ms (measured window)" + on(arenaOn), tickP99, 10, tickP99 <= 10));

        // Two servers on Redis (each a Tomcat) against one Tomcat in memory, same offered load, same run.
        double clusterP99 = results.median("fanout", "/broadcast, 1000", CLUSTER, "p99 ms");
        double clusterLost = results.median("fanout", "/broadcast, 1000", CLUSTER, "lost");
        double oneNodeP99 = results.median("fanout", "/broadcast, 1000", US, "p99 ms");
        goals.add(goal("cluster fan-out to 1,000 over 2 nodes: p99 ≤ 1.5 × one node in memory, 0 lost",
                clusterP99, oneNodeP99, clusterP99 <= 1.5 * oneNodeP99 && clusterLost == 0));

        // Against itself: the same members measured without attackers in the same run.
        double ratio = results.median("hostile", "", US, "p99 ratio");
        double cut = results.median("hostile", "", US, "members cut");
        goals.add(goal("hostile: no member cut, p99 ≤ 1.5 × without attackers", ratio, 1.5,
                cut == 0 && ratio <= 1.5));
        double echoRatio = results.median("hostile", "", US, "echo p99 ratio");
        goals.add(goal("hostile: an echo client's p99 ≤ 1.5 × without attackers", echoRatio, 1.5, echoRatio <= 1.5));
        double gapAlone = results.median("hostile", "", US, "arena gap p99 ms alone");
        double gapAttacked = results.median("hostile", "", US, "arena gap p99 ms attacked");
        goals.add(goal("hostile: an arena player's p99 gap between frames ≤ 1.5 × without attackers",
                gapAttacked / gapAlone, 1.5, gapAttacked <= 1.5 * gapAlone));
        return goals;
    }

    /** The run command's container (Jetty) if it has this figure in this run, else Tomcat. */
    private static String ours(Results results, String scenario, String variantStart, String figure) {
        String jetty = Results.CONTAINER_PREFIX + "jetty";
        return Double.isNaN(results.median(scenario, variantStart, jetty, figure)) ? US : jetty;
    }

    private static String on(String target) {
        return target.equals(US) ? " (on Tomcat)" : " (on Jetty)";
    }

    /** A variant without its run parameters: "16 conn, 16 KiB text, 64 in flight, 5 s" → "16 conn, 16 KiB text". */
    private static String shortly(String variant) {
        String[] parts = variant.split(", ");
        return parts.length < 2 ? variant : parts[0] + ", " + parts[1];
    }

    private static Map<String, Object> goal(String name, double ours, double reference, boolean met) {
        Map<String, Object> goal = new LinkedHashMap<>();
        goal.put("goal", name);
        goal.put("socketworks", Double.isNaN(ours) ? null : ours);
        goal.put("reference", Double.isNaN(reference) ? null : reference);
        goal.put("met", Double.isNaN(ours) || Double.isNaN(reference) ? null : met);
        return goal;
    }

    static String markdown(List<Map<String, Object>> goals) {
        StringBuilder out = new StringBuilder("\n| Goal | Socketworks | Reference | Met |\n|---|---:|---:|:---:|\n");
        for (Map<String, Object> goal : goals) {
            Object met = goal.get("met");
            out.append("| ").append(goal.get("goal")).append(" | ").append(value(goal.get("socketworks")))
                    .append(" | ").append(value(goal.get("reference"))).append(" | ")
                    .append(met == null ? "not measured" : (Boolean) met ? "yes" : "**no**").append(" |\n");
        }
        return out.toString();
    }

    private static String value(Object value) {
        return value == null ? "–" : Bench.format((Double) value);
    }
}
