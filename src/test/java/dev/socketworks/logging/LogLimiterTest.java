package dev.socketworks.logging;

import dev.socketworks.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class LogLimiterTest {

    @Test
    void linesOfOneKindAreCappedPerWindowAndTheRestCounted() {
        AtomicLong now = new AtomicLong();
        LogLimiter limiter = new LogLimiter(now::get);
        Logger log = Logger.getLogger("LogLimiterTest." + System.nanoTime());
        log.setUseParentHandlers(false);
        LogCapture capture = LogCapture.of(log);
        for (int i = 0; i < 1000; i++) {
            limiter.logLimited(log, Level.INFO, "flood", () -> "line", i == 0 ? new RuntimeException("x") : null);
        }
        limiter.logLimited(log, Level.INFO, "other", () -> "other kind", null);
        assertThat(capture.records()).hasSize(LogLimiter.LINES_PER_WINDOW + 1);

        now.addAndGet(LogLimiter.WINDOW_NANOS);
        limiter.logLimited(log, Level.INFO, "flood", () -> "line", null);
        List<LogRecord> records = capture.records();
        assertThat(records.get(records.size() - 2).getMessage())
                .contains((1000 - LogLimiter.LINES_PER_WINDOW) + " more 'flood' lines");
        assertThat(records.get(records.size() - 1).getMessage()).isEqualTo("line");
        capture.close();
    }
}
