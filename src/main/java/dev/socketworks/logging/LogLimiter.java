package dev.socketworks.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log lines that a client can cause, rate limited per kind: at most {@link #LINES_PER_WINDOW} lines
 * of one kind per {@link #WINDOW_NANOS}, then one line saying how many were left out. A flood of
 * refused handshakes or bad frames must cost the flooder, not the server's disk.
 */
public final class LogLimiter {

    static final int LINES_PER_WINDOW = 20;
    static final long WINDOW_NANOS = 10_000_000_000L;

    private static final LogLimiter SHARED = new LogLimiter(System::nanoTime);

    private final LongSupplier nanoClock;
    // Keys are kinds named in code, never client text, so the map stays small.
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long start;
        int lines;
        int suppressed;
    }

    LogLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Logs {@code message} at {@code level} under {@code kind}, unless that kind is over its rate. */
    public static void log(Logger log, Level level, String kind, Supplier<String> message) {
        SHARED.logLimited(log, level, kind, message, null);
    }

    /** As {@link #log}, with a stack trace: for errors that are not the client's doing. */
    public static void log(Logger log, Level level, String kind, Supplier<String> message, Throwable error) {
        SHARED.logLimited(log, level, kind, message, error);
    }

    void logLimited(Logger log, Level level, String kind, Supplier<String> message, Throwable error) {
        if (!log.isLoggable(level)) {
            return;
        }
        int leftOut;
        Window window = windows.computeIfAbsent(kind, k -> new Window());
        synchronized (window) {
            long now = nanoClock.getAsLong();
            if (window.lines == 0 || now - window.start >= WINDOW_NANOS) {
                leftOut = window.suppressed;
                window.start = now;
                window.lines = 0;
                window.suppressed = 0;
            } else {
                leftOut = 0;
            }
            if (window.lines == LINES_PER_WINDOW) {
                window.suppressed++;
                return;
            }
            window.lines++;
        }
        if (leftOut > 0) {
            log.log(level, "(" + leftOut + " more '" + kind + "' lines were left out in the last 10 s)");
        }
        if (error == null) {
            log.log(level, message);
        } else {
            log.log(level, error, message);
        }
    }
}
