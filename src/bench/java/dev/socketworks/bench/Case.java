package dev.socketworks.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One measured variant of a scenario (say, echo-throughput with 16 connections of 32 B text).
 * {@code freshServer}: the runner restarts the server (and warms it) before each run, outside the
 * measurement, so memory an earlier run made the process keep does not hide what this one costs.
 */
record Case(String scenario, String variant, Predicate<Target> supports, Body body, boolean freshServer) {

    Case(String scenario, String variant, Predicate<Target> supports, Body body) {
        this(scenario, variant, supports, body, false);
    }

    interface Body {
        /** Runs once against the target and returns its figures, in insertion order, units in the names. */
        Map<String, Double> run(Target target) throws Exception;
    }

    /**
     * The figure a body puts for how many messages the server handled in the run (echoes, deliveries,
     * round trips; for churn, whole connect-echo-close cycles): the runner divides the server's CPU
     * time by it, the headline figure on 2 shared cores, where rates also measure the client.
     */
    static final String SERVED = "messages served";
    static final String CPU_PER_MESSAGE = "server CPU µs/msg";

    String id() {
        return scenario + " / " + variant;
    }

    /** An ordered figure map, the shape every body returns. */
    static Map<String, Double> figures() {
        return new LinkedHashMap<>();
    }
}
