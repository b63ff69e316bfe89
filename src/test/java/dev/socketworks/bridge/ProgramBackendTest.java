package dev.socketworks.bridge;

import dev.socketworks.testing.FakeSession;
import dev.socketworks.outbox.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Real programs (sh) behind a fake client: what the server log and the client see, and how they end. */
class ProgramBackendTest {

    private static final Duration GRACE = Duration.ofMillis(200);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeSession client = FakeSession.reading();
    private final CountDownLatch ended = new CountDownLatch(1);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private ProgramBackend start(String script) throws Exception {
        Route route = new Route("test", Route.Kind.PROCESS, Route.Mode.TEXT, List.of("/bin/sh", "-c", script),
                Path.of("/"), List.of(), Map.of("PATH", "/usr/bin:/bin"), null, 0, 1, null, List.of());
        return ProgramBackend.start(route, "s1", new Outbox(client.session, 100, 1 << 20), route.setEnvironment(),
                scheduler, GRACE, 1000, ended::countDown);
    }

    @Test
    void stderrGoesToTheServerLogNamingRouteAndSessionAndExitStatusToTheClient() throws Exception {
        BlockingQueue<String> logged = new LinkedBlockingQueue<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(ProgramBackend.class.getName());
        log.addHandler(handler);
        try {
            start("echo 'something\tbroke' >&2; echo bye; exit 7");

            assertThat(logged.poll(10, TimeUnit.SECONDS)).isEqualTo("run/test session s1 stderr: something?broke");
            client.closed.get(10, TimeUnit.SECONDS);
            assertThat(client.received).containsExactly("bye");
            assertThat(client.closedWith.getCloseCode().getCode()).isEqualTo(1011);
            assertThat(client.closedWith.getReasonPhrase()).isEqualTo("exit status 7");
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("the route's place is freed").isTrue();
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void atUndeployAProgramThatIgnoresSigtermIsKilledWithItsChild() throws Exception {
        ProgramBackend program = start("trap '' TERM; sleep 600 & echo $!; exec sleep 600");
        long child = Long.parseLong((String) client.firstMessage.get(10, TimeUnit.SECONDS));

        program.stop(); // what Bridge.stop does first: stdin closed and SIGTERM, both ignored here
        assertThat(ended.await(GRACE.toMillis() * 2, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(program.isAlive()).isTrue();

        program.forceStop();

        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        var childExit = ProcessHandle.of(child).map(ProcessHandle::onExit);
        if (childExit.isPresent()) {
            childExit.get().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(program.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(program.isAlive()).isFalse();
    }
}
