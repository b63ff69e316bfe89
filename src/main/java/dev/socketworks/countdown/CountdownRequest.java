package dev.socketworks.countdown;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code /countdown?from=N&intervalMs=M}. Limits: {@code from} 1 to 1000 (default 10),
 * {@code intervalMs} 50 to 60000 (default 500), so one client cannot hold a timer for more than
 * about 17 hours or make it fire more than 20 times a second.
 */
public record CountdownRequest(int from, Duration interval) {

    static final int DEFAULT_FROM = 10;
    static final int MAX_FROM = 1000;
    static final long DEFAULT_INTERVAL_MS = 500;
    static final long MIN_INTERVAL_MS = 50;
    static final long MAX_INTERVAL_MS = 60_000;

    /** @throws IllegalArgumentException with a reason short enough for a close frame */
    public static CountdownRequest parse(Map<String, List<String>> parameters) {
        long from = parameter(parameters, "from", DEFAULT_FROM, 1, MAX_FROM);
        long interval = parameter(parameters, "intervalMs", DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
        return new CountdownRequest((int) from, Duration.ofMillis(interval));
    }

    private static long parameter(Map<String, List<String>> parameters, String name, long fallback, long min, long max) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(values.get(0).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max);
        }
        return value;
    }
}
