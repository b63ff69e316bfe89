package dev.socketworks.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every run of every case, per server; medians across repetitions, rendered as JSON and Markdown. */
final class Results {

    record Run(Map<String, Double> figures, double serverCpuSeconds, double clientCpuSeconds, String error) {
    }

    /** The name of the same WAR measured on another container than Tomcat: this prefix and the container. */
    static final String CONTAINER_PREFIX = "socketworks-";

    private final List<String> targets;
    /** The last column's divisor: Node's ws when it ran (the peer), else the second server. */
    private final String ratioPeer;
    private final Map<Case, Map<String, List<Run>>> runs = new LinkedHashMap<>();

    Results(List<String> targets) {
        this.targets = targets;
        this.ratioPeer = targets.contains(Goals.PEER) ? Goals.PEER : targets.size() > 1 ? targets.get(1) : null;
    }

    void add(Case benchCase, String target, Run run) {
        runs.computeIfAbsent(benchCase, c -> new LinkedHashMap<>())
                .computeIfAbsent(target, t -> new ArrayList<>()).add(run);
    }

    /** The median of one figure over a target's successful runs of the first case matching; NaN if none. */
    double median(String scenario, String variantStart, String target, String figure) {
        for (Map.Entry<Case, Map<String, List<Run>>> entry : runs.entrySet()) {
            Case benchCase = entry.getKey();
            if (benchCase.scenario().equals(scenario) && benchCase.variant().startsWith(variantStart)) {
                return median(entry.getValue().getOrDefault(target, List.of()), figure);
            }
        }
        return Double.NaN;
    }

    /** Every variant of a scenario that ran, in running order. */
    List<String> variants(String scenario) {
        return runs.keySet().stream().filter(c -> c.scenario().equals(scenario)).map(Case::variant).toList();
    }

    private static double median(List<Run> runs, String figure) {
        List<Double> values = new ArrayList<>();
        for (Run run : runs) {
            if (run.error() == null && run.figures().containsKey(figure)) {
                values.add(run.figures().get(figure));
            }
        }
        return Stats.median(values);
    }

    private static double medianCpu(List<Run> runs, boolean server) {
        return Stats.median(runs.stream().map(r -> server ? r.serverCpuSeconds() : r.clientCpuSeconds()).toList());
    }

    private static Set<String> figureNames(Map<String, List<Run>> byTarget) {
        Set<String> names = new LinkedHashSet<>();
        byTarget.values().forEach(list -> list.forEach(run -> names.addAll(run.figures().keySet())));
        return names;
    }

    List<Map<String, Object>> json() {
        List<Map<String, Object>> cases = new ArrayList<>();
        runs.forEach((benchCase, byTarget) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scenario", benchCase.scenario());
            entry.put("variant", benchCase.variant());
            Map<String, Object> perTarget = new LinkedHashMap<>();
            byTarget.forEach((target, list) -> {
                Map<String, Object> summary = new LinkedHashMap<>();
                Map<String, Double> medians = new LinkedHashMap<>();
                for (String figure : figureNames(byTarget)) {
                    medians.put(figure, nullIfNaN(median(list, figure)));
                }
                summary.put("median", medians);
                summary.put("serverCpuSeconds", nullIfNaN(medianCpu(list, true)));
                summary.put("clientCpuSeconds", nullIfNaN(medianCpu(list, false)));
                List<Map<String, Object>> each = new ArrayList<>();
                for (Run run : list) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    Map<String, Double> figures = new LinkedHashMap<>();
                    run.figures().forEach((name, value) -> figures.put(name, nullIfNaN(value)));
                    one.put("figures", figures);
                    one.put("serverCpuSeconds", nullIfNaN(run.serverCpuSeconds()));
                    one.put("clientCpuSeconds", nullIfNaN(run.clientCpuSeconds()));
                    if (run.error() != null) {
                        one.put("error", run.error());
                    }
                    each.add(one);
                }
                summary.put("runs", each);
                perTarget.put(target, summary);
            });
            entry.put("targets", perTarget);
            cases.add(entry);
        });
        return cases;
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    String markdown(String container, int reps, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append("Medians of ").append(reps).append(" run(s). Socketworks on ").append(container)
                .append(". `CPU s` is server / client CPU seconds for the run. ");
        if (targets.size() > 1) {
            out.append("The last column is ").append(targets.get(0)).append(" ÷ ").append(ratioPeer).append('.');
        }
        out.append("\n\n");
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        out.append(header());
        runs.keySet().forEach(benchCase -> out.append(rows(benchCase)));
        return out.toString();
    }

    String markdownFor(Case benchCase) {
        return header() + rows(benchCase);
    }

    private String header() {
        StringBuilder out = new StringBuilder("\n| Scenario | Variant | Figure |");
        targets.forEach(t -> out.append(' ').append(t).append(" |"));
        if (targets.size() > 1) {
            out.append(" ratio |");
        }
        out.append("\n|---|---|---|");
        targets.forEach(t -> out.append("---:|"));
        if (targets.size() > 1) {
            out.append("---:|");
        }
        return out.append('\n').toString();
    }

    private String rows(Case benchCase) {
        Map<String, List<Run>> byTarget = runs.getOrDefault(benchCase, Map.of());
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (String figure : figureNames(byTarget)) {
            out.append("| ").append(first ? benchCase.scenario() : "").append(" | ")
                    .append(first ? benchCase.variant() : "").append(" | ").append(figure).append(" |");
            first = false;
            for (String target : targets) {
                out.append(' ').append(cell(byTarget.get(target), figure)).append(" |");
            }
            if (targets.size() > 1) {
                double a = median(byTarget.getOrDefault(targets.get(0), List.of()), figure);
                double b = median(byTarget.getOrDefault(ratioPeer, List.of()), figure);
                out.append(' ').append(Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "" : Bench.format(a / b) + "×").append(" |");
            }
            out.append('\n');
        }
        out.append("| ").append(first ? benchCase.scenario() + " | " + benchCase.variant() : " | ").append(" | CPU s |");
        for (String target : targets) {
            List<Run> list = byTarget.get(target);
            out.append(' ').append(list == null ? "" : Bench.format(medianCpu(list, true)) + " / " + Bench.format(medianCpu(list, false)))
                    .append(" |");
        }
        if (targets.size() > 1) {
            out.append(" |");
        }
        return out.append('\n').toString();
    }

    /**
     * The same WAR on every container that ran: per case, server CPU per message and the case's main
     * figure (its first rate or latency), each container's median and which is best. Empty when only
     * Tomcat ran.
     */
    String containersMarkdown() {
        List<String> containers = new ArrayList<>();
        containers.add(targets.get(0));
        targets.stream().filter(t -> t.startsWith(CONTAINER_PREFIX)).forEach(containers::add);
        if (containers.size() < 2) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n## The same WAR on each container\n\n| Scenario | Variant | Figure |");
        containers.forEach(c -> out.append(' ').append(containerName(c)).append(" |"));
        out.append(" best |\n|---|---|---|");
        containers.forEach(c -> out.append("---:|"));
        out.append("---|\n");
        Map<String, Integer> cheapest = new LinkedHashMap<>();
        runs.forEach((benchCase, byTarget) -> {
            if (containers.stream().filter(byTarget::containsKey).count() < 2) {
                return;
            }
            List<String> figures = new ArrayList<>();
            Set<String> names = figureNames(byTarget);
            if (names.contains(Case.CPU_PER_MESSAGE)) {
                figures.add(Case.CPU_PER_MESSAGE);
            }
            names.stream().filter(f -> !f.equals(Case.CPU_PER_MESSAGE) && direction(f) != 0).findFirst().ifPresent(figures::add);
            for (String figure : figures) {
                out.append("| ").append(benchCase.scenario()).append(" | ").append(benchCase.variant()).append(" | ")
                        .append(figure).append(" |");
                String best = null;
                double bestValue = Double.NaN;
                for (String container : containers) {
                    double value = median(byTarget.getOrDefault(container, List.of()), figure);
                    out.append(' ').append(byTarget.containsKey(container) ? cell(byTarget.get(container), figure) : "n/a").append(" |");
                    if (!Double.isNaN(value) && (best == null || direction(figure) * (value - bestValue) > 0)) {
                        best = container;
                        bestValue = value;
                    }
                }
                out.append(' ').append(best == null ? "" : containerName(best)).append(" |\n");
                if (best != null && figure.equals(Case.CPU_PER_MESSAGE)) {
                    cheapest.merge(containerName(best), 1, Integer::sum);
                }
            }
        });
        if (!cheapest.isEmpty()) {
            out.append("\nLeast server CPU per message, cases won: ");
            out.append(String.join(", ", cheapest.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
            out.append(".\n");
        }
        return out.toString();
    }

    private String containerName(String target) {
        return target.startsWith(CONTAINER_PREFIX) ? target.substring(CONTAINER_PREFIX.length()) : "tomcat";
    }

    /** +1 when more is better (rates), -1 when less is (costs, latencies, losses), 0 when neither is meant. */
    static int direction(String figure) {
        if (figure.equals("msgs/s") || figure.equals("MB/s") || figure.equals("cycles/s") || figure.equals("deliveries/s")
                || figure.equals("joins/s") || figure.equals("adds/s")) {
            return 1;
        }
        if (figure.contains("µs") || figure.contains(" ms") || figure.startsWith("p50") || figure.startsWith("p99")
                || figure.contains("KiB/conn") || figure.equals(Case.CPU_PER_MESSAGE)) {
            return -1;
        }
        return 0;
    }

    private static String cell(List<Run> list, String figure) {
        if (list == null) {
            return "n/a";
        }
        long failed = list.stream().filter(r -> r.error() != null).count();
        if (failed == list.size()) {
            return "failed: " + list.get(0).error().replace('|', '/');
        }
        String value = Bench.format(median(list, figure));
        return failed == 0 ? value : value + " (" + failed + " of " + list.size() + " runs failed)";
    }
}
