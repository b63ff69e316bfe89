package dev.socketworks.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The goals, each checked on the medians of this run (Socketworks against node-ws). */
final class Goals {

    private static final String US = "socketworks";
    private static final String PEER = "node-ws";
    static final String CLUSTER = "2 nodes + Redis";

    private Goals() {
    }

    static List<Map<String, Object>> evaluate(Results results) {
        List<Map<String, Object>> goals = new ArrayList<>();
        double ourP50 = results.median("echo-latency", "", US, "p50 µs");
        double peerP50 = results.median("echo-latency", "", PEER, "p50 µs");
        goals.add(goal("echo p50 RTT ≤ node-ws", ourP50, peerP50, ourP50 <= peerP50));

        double ourRate = results.median("echo-throughput", "16 conn, 32 B", US, "msgs/s");
        double peerRate = results.median("echo-throughput", "16 conn, 32 B", PEER, "msgs/s");
        goals.add(goal("echo msgs/s at 16 connections ≥ 1.5 × node-ws", ourRate, peerRate, ourRate >= 1.5 * peerRate));

        double ourP99 = results.median("fanout", "/broadcast, 1000", US, "p99 ms");
        double peerP99 = results.median("fanout", "/broadcast, 1000", PEER, "p99 ms");
        double lost = results.median("fanout", "/broadcast, 1000", US, "lost");
        goals.add(goal("fan-out to 1,000: p99 ≤ node-ws, 0 lost", ourP99, peerP99, ourP99 <= peerP99 && lost == 0));

        // The larger of RSS and heap growth: RSS can lag behind heap pages committed earlier.
        double perConnection = Math.max(results.median("storm", "10000", US, "RSS KiB/conn"),
                results.median("storm", "10000", US, "heap KiB/conn"));
        goals.add(goal("≤ 16 KiB per idle connection (10,000; larger of RSS and heap)", perConnection, 16,
                perConnection <= 16));

        double ourChurn = results.median("churn", "", US, "cycles/s");
        double peerChurn = results.median("churn", "", PEER, "cycles/s");
        goals.add(goal("churn cycles/s ≥ node-ws", ourChurn, peerChurn, ourChurn >= peerChurn));

        // Two servers on Redis against one server in memory, same offered load, same run.
        double clusterP99 = results.median("fanout", "/broadcast, 1000", CLUSTER, "p99 ms");
        double clusterLost = results.median("fanout", "/broadcast, 1000", CLUSTER, "lost");
        goals.add(goal("cluster fan-out to 1,000 over 2 nodes: p99 ≤ 1.5 × one node in memory, 0 lost",
                clusterP99, ourP99, clusterP99 <= 1.5 * ourP99 && clusterLost == 0));

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
