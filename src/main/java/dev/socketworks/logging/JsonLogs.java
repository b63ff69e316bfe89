package dev.socketworks.logging;

import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code logFormat=json}: Socketworks' own log lines (loggers under {@code dev.socketworks}) as one JSON
 * object per line on standard output, for log shippers, instead of the container's format: {@code time},
 * {@code level}, {@code logger}, {@code thread}, {@code message} and, for a fault of ours,
 * {@code error} and {@code stack}. The container's own lines keep its format (each has its own JSON
 * option). Messages are already free of tokens, keys and message content: that is each line's rule.
 */
public final class JsonLogs extends Formatter {

    private static final String ROOT = "dev.socketworks";
    private static final JsonProvider JSON = JsonProvider.provider(); // looked up once, not per line

    /** What {@link #install} changed, to undo at undeploy (the logger outlives the WAR in some containers). */
    public record Installed(Logger logger, Handler handler, boolean usedParentHandlers) {
        public void uninstall() {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(usedParentHandlers);
        }
    }

    /** Sends every record of Socketworks' loggers to {@code out} as JSON, and no longer to the container's handlers. */
    public static Installed install(PrintStream out) {
        Logger logger = Logger.getLogger(ROOT);
        JsonLogs format = new JsonLogs();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    out.print(format.format(record)); // one print per line: lines of two threads never interleave
                    out.flush();
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        boolean usedParentHandlers = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        return new Installed(logger, handler, usedParentHandlers);
    }

    @Override
    public String format(LogRecord record) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject()
                    .write("time", Instant.ofEpochMilli(record.getMillis()).toString())
                    .write("level", record.getLevel().getName())
                    .write("logger", record.getLoggerName() == null ? "" : record.getLoggerName())
                    .write("thread", Thread.currentThread().getName())
                    .write("message", formatMessage(record));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                json.write("error", thrown.toString());
                StringWriter stack = new StringWriter();
                thrown.printStackTrace(new PrintWriter(stack));
                json.write("stack", stack.toString());
            }
            json.writeEnd();
        }
        return line.append('\n').toString();
    }
}
