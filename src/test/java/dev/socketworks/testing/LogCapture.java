package dev.socketworks.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records what one logger publishes while open: {@code try (var log = LogCapture.of(Some.class)) {...}}. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    public static LogCapture of(Class<?> type) {
        return of(Logger.getLogger(type.getName()));
    }

    public static LogCapture of(Logger logger) {
        return new LogCapture(logger);
    }

    @Override
    public void publish(LogRecord record) {
        synchronized (this) {
            records.add(record);
            notifyAll();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Messages (unformatted) at {@code level} or above. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(LogRecord::getMessage).toList();
    }

    /** Waits up to 10 s for a message {@code wanted} accepts; returns it, or null. */
    public synchronized String await(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (LogRecord seen : records) {
                if (wanted.test(seen.getMessage())) {
                    return seen.getMessage();
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left); // publish() wakes it
        }
    }
}
