package dev.socketworks.bridge;

import dev.socketworks.json.Unicode;
import dev.socketworks.logging.LogLimiter;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.Outbox;
import jakarta.websocket.CloseReason;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One program started for one client. Its stdout goes to the client through {@link OutputPump},
 * its stderr to the server log (route and session named), client messages to its stdin.
 *
 * <p>Ending: when the program exits, the client gets what it wrote, then 1000 (status 0) or 1011
 * "exit status N". Otherwise one sequence ends it ({@link #end}): stdin closed (most programs end on
 * EOF); if it still runs one grace period later (at once at undeploy), SIGTERM; one more and SIGKILL,
 * for the program and every descendant seen. Each wait is on the process's exit, not a poll.
 * Descendants are looked up at each step and when the program's output ends, and killed once the
 * program is gone, so a background child it started is not left running.
 */
final class ProgramBackend implements Backend {

    private static final Logger LOG = Logger.getLogger(ProgramBackend.class.getName());
    private static final int MAX_LOGGED_LINE_CHARS = 2000;

    private final Route route;
    private final String who; // "run/<route> session <id>", how every log line about this client begins
    private final Outbox outbox;
    private final Process process;
    private final OutputStream stdin;
    private final Duration grace;
    private final Set<ProcessHandle> descendantsSeen = ConcurrentHashMap.newKeySet();
    private volatile boolean clientLeft;

    /** The program's exit status, once it exits (128 + the signal's number when a signal ended it). */
    CompletableFuture<Integer> exitStatus() {
        return process.onExit().thenApply(Process::exitValue);
    }

    private ProgramBackend(Route route, String client, Outbox outbox, Process process, Duration grace) {
        this.route = route;
        this.who = route.logContext(client);
        this.outbox = outbox;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.grace = grace;
    }

    /**
     * Starts the route's program with exactly {@code environment}.
     *
     * @param ended runs once the program and its descendants are gone (frees the route's slot)
     */
    static ProgramBackend start(Route route, Route.Program program, String client, Outbox outbox,
                                Map<String, String> environment, Duration grace, long maxLineBytes,
                                Runnable ended) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(program.command()).directory(program.workingDirectory().toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        ProgramBackend backend = new ProgramBackend(route, client, outbox, process, grace);
        String name = "socketworks-run-" + route.name() + "-" + process.pid();
        Threads.start(name + "-stdout", () -> backend.pumpOutput(maxLineBytes));
        Threads.start(name + "-stderr", backend::logErrors);
        process.onExit().whenComplete((exited, error) -> {
            backend.killDescendants();
            ended.run();
        });
        return backend;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void send(byte[] data) throws IOException {
        Backend.write(stdin, data, route.mode());
    }

    @Override
    public void clientLeft() {
        clientLeft = true;
        end(grace);
    }

    @Override
    public CompletableFuture<Void> stop() {
        clientLeft = true;
        return end(Duration.ZERO);
    }

    /**
     * The stop sequence: stdin closed; SIGTERM if it still runs after {@code beforeSigterm}; SIGKILL
     * if it still runs one grace period after that. Completes once it and its descendants are gone.
     */
    private CompletableFuture<Void> end(Duration beforeSigterm) {
        rememberDescendants();
        closeStdinSoon();
        return exitWithin(beforeSigterm).thenCompose(exited -> {
            if (exited) {
                return CompletableFuture.completedFuture(true);
            }
            rememberDescendants();
            LOG.fine(() -> who + ": still running; SIGTERM to " + process.pid());
            process.destroy();
            return exitWithin(grace);
        }).thenCompose(exited -> {
            if (!exited) {
                rememberDescendants();
                LogLimiter.log(LOG, Level.INFO, "program killed", () -> who + ": killing " + process.pid()
                        + ", still running after SIGTERM"); // once per visit: limited
                process.destroyForcibly();
            }
            return process.onExit();
        }).thenRun(this::killDescendants);
    }

    /** True once the program exited, false if it still runs after {@code time}. */
    private CompletableFuture<Boolean> exitWithin(Duration time) {
        if (time.isZero()) {
            return CompletableFuture.completedFuture(!process.isAlive());
        }
        return process.onExit().thenApply(exited -> true).completeOnTimeout(false, time.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pumpOutput(long maxLineBytes) {
        OutputPump.End end;
        try {
            end = OutputPump.pump(process.getInputStream(), route.mode(), outbox, maxLineBytes);
        } catch (IOException e) {
            end = OutputPump.End.END_OF_OUTPUT; // the pipe broke: the program is gone or going
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (end == OutputPump.End.LINE_TOO_LONG) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.UNEXPECTED_CONDITION,
                    "program wrote a line over " + maxLineBytes + " bytes"));
            stop();
            drain(process.getInputStream());
            return;
        }
        rememberDescendants(); // output ended: the program is probably exiting, its children still known
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!clientLeft) {
            LOG.fine(() -> who + ": exited with status " + status);
            outbox.closeWhenSent(status == 0
                    ? CloseReasons.of(CloseReason.CloseCodes.NORMAL_CLOSURE, "")
                    : CloseReasons.of(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "exit status " + status));
        }
    }

    /** stderr, line by line, into the server log; long lines are cut so one program cannot flood it. */
    private void logErrors() {
        try (InputStream err = process.getErrorStream()) {
            byte[] buffer = new byte[4096];
            ByteCollector bytes = new ByteCollector();
            for (int n; (n = err.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        logStderrLine(bytes.takeText());
                    } else {
                        bytes.add(buffer[i], MAX_LOGGED_LINE_CHARS * 4);
                    }
                }
            }
            if (bytes.size() > 0) {
                logStderrLine(bytes.takeText());
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "stderr of " + who + " closed", e);
        }
    }

    /** Rate limited per route: a client can make a program write a stderr line per message it sends. */
    private void logStderrLine(String text) {
        String clipped = Unicode.quotable(text, MAX_LOGGED_LINE_CHARS);
        LogLimiter.log(LOG, Level.INFO, "run/" + route.name() + " stderr",
                () -> who + " stderr: " + clipped);
    }

    /**
     * On a thread of its own: a client message may be blocked writing to a program that does not read
     * its stdin, holding the stream, and closing waits for it; the caller (the container's close
     * callback, or undeploy) must not, nor may the SIGTERM that is scheduled next.
     */
    private void closeStdinSoon() {
        Threads.start("socketworks-run-" + route.name() + "-" + process.pid() + "-close-stdin", this::closeStdin);
    }

    private void closeStdin() {
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "stdin of run/" + route.name() + " already closed", e);
        }
    }

    private void rememberDescendants() {
        descendantsSeen.addAll(ProcessTree.system().descendants(process.toHandle()));
    }

    private void killDescendants() {
        descendantsSeen.stream().filter(ProcessHandle::isAlive).forEach(child -> {
            LOG.fine(() -> who + ": killing descendant " + child.pid());
            child.destroyForcibly();
        });
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.log(Level.FINE, "output closed while draining", e);
        }
    }

    /** Collects one stderr line's bytes, keeping at most a limit (the rest of a long line is dropped). */
    private static final class ByteCollector {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        void add(byte b, int limit) {
            if (bytes.size() < limit) {
                bytes.write(b);
            }
        }

        int size() {
            return bytes.size();
        }

        String takeText() {
            String text = bytes.toString(StandardCharsets.UTF_8);
            bytes.reset();
            return text;
        }
    }
}
