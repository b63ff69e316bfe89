package dev.socketworks.bridge;

import dev.socketworks.testing.FakeSession;
import dev.socketworks.testing.LogCapture;
import dev.socketworks.outbox.Outbox;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real programs (sh) behind a fake client: what the server log and the client see, and how they end. */
class ProgramBackendTest {

    private static final Duration GRACE = Duration.ofMillis(200);

    private final FakeSession client = FakeSession.reading();
    private final CountDownLatch ended = new CountDownLatch(1);


    private ProgramBackend start(String script) throws Exception {
        Route.Program program = new Route.Program(List.of("/bin/sh", "-c", script), Path.of("/"), List.of(),
                Map.of("PATH", "/usr/bin:/bin"));
        Route route = new Route("test", Route.Mode.TEXT, program, 1, null, List.of());
        return ProgramBackend.start(route, program, "connection s1 (/run/test from 127.0.0.1)", new Outbox(client.session, 100, 1 << 20),
                program.setEnvironment(), GRACE, 1000, ended::countDown);
    }

    @Test
    void stderrGoesToTheServerLogNamingRouteAndSessionAndExitStatusToTheClient() throws Exception {
        try (LogCapture log = LogCapture.of(ProgramBackend.class)) {
            start("echo 'something\tbroke' >&2; echo bye; exit 7");

            assertThat(log.await(m -> m.contains("stderr"))).isEqualTo("run/test connection s1 (/run/test from 127.0.0.1) stderr: something?broke");
            client.closed.get(10, TimeUnit.SECONDS);
            assertThat(client.received).containsExactly("bye");
            assertThat(client.closedWith.getCloseCode().getCode()).isEqualTo(1011);
            assertThat(client.closedWith.getReasonPhrase()).isEqualTo("exit status 7");
            assertThat(ended.await(10, TimeUnit.SECONDS)).as("the route's place is freed").isTrue();
        }
    }

    @Test
    void atUndeployAProgramThatIgnoresSigtermIsKilledWithItsChild() throws Exception {
        ProgramBackend program = start("trap '' TERM; sleep 600 & echo $!; exec sleep 600");
        long child = Long.parseLong((String) client.firstMessage.get(10, TimeUnit.SECONDS));

        try (LogCapture log = LogCapture.of(ProgramBackend.class)) {
            // What Bridge.stop does: stdin closed and SIGTERM at once, both ignored here; SIGKILL a grace later.
            program.stop().get(10, TimeUnit.SECONDS);
            assertThat(log.messages(java.util.logging.Level.INFO))
                    .anyMatch(m -> m.equals("run/test connection s1 (/run/test from 127.0.0.1): killing " + program.pid() + ", still running after SIGTERM"));
        }
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        var childExit = ProcessHandle.of(child).map(ProcessHandle::onExit);
        if (childExit.isPresent()) {
            childExit.get().get(10, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(program.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("its child too").isFalse();
    }
}
