package dev.socketworks.it;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Programs and TCP services behind /run/{name}, from a routes file written for this deployment: the
 * programs run on this machine, as the server does, so the test can also check their processes.
 */
class RunIT extends ContainerSuite {

    static final long GRACE_MS = 300;
    static final int MAX_MESSAGE_BYTES = 1 << 20; // the default maxMessageBytes

    private static ServerSocket lineService;
    private static int routeCount;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        PlaywrightAssertions.setDefaultAssertionTimeout(TestClient.DEADLINE.toMillis());
        lineService = startLineService();
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort(); // free once closed: nothing listens there
        }
        String routes = """
                {"routes": [
                  {"name": "cat", "command": ["cat"], "maxProcesses": 64},
                  {"name": "cat-binary", "command": ["cat"], "mode": "binary"},
                  {"name": "fizzbuzz", "command": ["python3", "fizzbuzz.py"], "workingDirectory": "%s",
                   "environment": ["PATH"], "subprotocols": ["ex2"]},
                  {"name": "env", "command": ["env"], "environment": ["PATH", "FIXED=yes"]},
                  {"name": "exit", "command": ["sh", "-c", "echo \\"status $QUERY_STRING\\"; exit $QUERY_STRING"]},
                  {"name": "stubborn", "environment": ["PATH"],
                   "command": ["sh", "-c", "trap '' TERM; sleep 600 & echo $$ $!; while :; do sleep 1; done"]},
                  {"name": "limited", "command": ["cat"], "maxProcesses": 2},
                  {"name": "deaf", "environment": ["PATH"], "command": ["sh", "-c", "echo $$; exec sleep 600"]},
                  {"name": "long-line", "environment": ["PATH"],
                   "command": ["sh", "-c", "head -c \\"$QUERY_STRING\\" /dev/zero | tr '\\\\0' x; echo"]},
                  {"name": "relay", "kind": "tcp", "host": "127.0.0.1", "port": %d},
                  {"name": "relay-down", "kind": "tcp", "host": "127.0.0.1", "port": %d},
                  {"name": "elsewhere", "command": ["cat"], "allowedOrigins": ["https://elsewhere.example"]}
                ]}
                """.formatted(Path.of("server-config/programs").toAbsolutePath(), lineService.getLocalPort(), closedPort);
        routeCount = routes.split("\"name\":", -1).length - 1;
        Path file = Path.of("target", "it-routes-" + container() + ".json").toAbsolutePath();
        Files.writeString(file, routes);
        return Deployments.withSettings(Map.of("socketworks.routes", file.toString(),
                "socketworks.runStopGraceMs", Long.toString(GRACE_MS),
                "socketworks.heartbeatIntervalMs", "1000")); // finds the client of a stuck read (deaf program) quickly
    }

    @AfterAll
    static void stopLineService() throws IOException {
        if (lineService != null) {
            lineService.close();
        }
    }

    @Test
    void eachTextMessageIsALineAndEachLineAMessage() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/cat"))) {
            for (String line : List.of("hello", "h\u00e9llo \u20ac \uD83D\uDE00", "", "<b>not html</b>")) {
                c.session().getBasicRemote().sendText(line);
                assertThat(c.nextText()).isEqualTo(line);
            }
            c.session().getBasicRemote().sendText("two\nlines"); // written as it is: the program reads two lines
            assertThat(c.nextText()).isEqualTo("two");
            assertThat(c.nextText()).isEqualTo("lines");
        }
    }

    @Test
    void binaryModeCarriesBytesBothWays() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/cat-binary"))) {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            c.session().getBasicRemote().sendBinary(ByteBuffer.wrap(all));
            c.session().getBasicRemote().sendText("and text as UTF-8 \u20ac");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(all);
            expected.write("and text as UTF-8 \u20ac".getBytes(StandardCharsets.UTF_8));
            assertThat(receiveBytes(c, expected.size())).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void aTextRouteRefusesBinaryMessagesWith1003() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/cat"))) {
            c.sendExpectingClose(ByteBuffer.wrap(new byte[]{1, 2, 3}));
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1003);
            assertThat(reason.getReasonPhrase()).isEqualTo("route cat takes text messages");
        }
    }

    @Test
    void fizzbuzzAnswersTheTalksClientOnItsSubprotocol() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/fizzbuzz"), null, List.of("ex2"))) {
            assertThat(c.session().getNegotiatedSubprotocol()).isEqualTo("ex2");
            for (int i = 0; i <= 100; i++) { // what the talk's page sends: ws.send(i) for 0..100
                c.session().getBasicRemote().sendText(Integer.toString(i));
            }
            List<String> answers = new ArrayList<>();
            for (int i = 0; i <= 100; i++) {
                answers.add(c.nextText());
            }
            assertThat(answers).startsWith("0 => FizzBuzz", "1 => 1", "2 => 2", "3 => Fizz", "4 => 4", "5 => Buzz")
                    .contains("15 => FizzBuzz", "98 => 98", "99 => Fizz").endsWith("100 => Buzz");
            c.session().getBasicRemote().sendText("twelve");
            assertThat(c.nextText()).isEqualTo("error: cannot process input");
            c.session().getBasicRemote().sendText("12");
            assertThat(c.nextText()).isEqualTo("12 => Fizz");
        }
    }

    /** The talk's pages open ws://host/ with their subprotocol: the root serves each by it, chat by default. */
    @Test
    void theRootServesEachClientByTheSubprotocolItOffers() throws Exception {
        try (TestClient fizzbuzz = TestClient.connect(client, ws(""), null, List.of("ex2"))) {
            assertThat(fizzbuzz.session().getNegotiatedSubprotocol()).isEqualTo("ex2");
            fizzbuzz.session().getBasicRemote().sendText("3");
            assertThat(fizzbuzz.nextText()).isEqualTo("3 => Fizz");
        }
        try (TestClient lobby = TestClient.connect(client, ws(""))) {
            lobby.session().getBasicRemote().sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Root\"}}");
            assertThat(lobby.nextText()).startsWith("{\"type\":\"chat-joined\",\"payload\":{\"username\":\"Root\"");
        }
        try (TestClient unknown = TestClient.connect(client, ws(""), null, List.of("ex9"))) {
            jakarta.websocket.CloseReason closed = unknown.awaitClose();
            assertThat(closed.getCloseCode().getCode()).isEqualTo(1002);
            assertThat(closed.getReasonPhrase()).startsWith("unsupported subprotocol; supported: ").contains("ex2", "beej-chat-protocol");
        }
    }

    @Test
    void theProgramSeesCgiVariablesAndOnlyTheAllowedServerVariables() throws Exception {
        Map<String, String> first = environmentSeenBy(ws("run/env?a=1&b=two"));
        Map<String, String> second = environmentSeenBy(ws("run/env"));

        assertThat(first).containsEntry("REMOTE_ADDR", "127.0.0.1")
                .containsEntry("SERVER_PORT", Integer.toString(base.getPort()))
                .containsEntry("QUERY_STRING", "a=1&b=two")
                .containsEntry("HTTP_X_TEST", "hello")
                .containsEntry("FIXED", "yes")
                .containsKeys("PATH", "SERVER_NAME", "UNIQUE_ID")
                .doesNotContainKeys("HOME", "HTTP_PROXY", "JAVA_HOME");
        assertThat(first.get("REQUEST_URI")).endsWith("/run/env?a=1&b=two");
        assertThat(Integer.parseInt(first.get("REMOTE_PORT"))).isPositive();
        assertThat(second).containsEntry("QUERY_STRING", "");
        assertThat(second.get("UNIQUE_ID")).isNotBlank().isNotEqualTo(first.get("UNIQUE_ID"));
    }

    private Map<String, String> environmentSeenBy(java.net.URI uri) throws Exception {
        Map<String, List<String>> headers = Map.of("X-Test", List.of("hello"), "Proxy", List.of("http://evil.example:3128"));
        try (TestClient c = TestClient.connectWithHeaders(client, uri, headers, List.of())) {
            Map<String, String> env = new HashMap<>();
            for (String line; (line = c.nextTextOrClose()) != null; ) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    env.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            assertThat(c.awaitClose().getCloseCode().getCode()).as("env exits with 0").isEqualTo(1000);
            return env;
        }
    }

    @Test
    void theExitStatusBecomesTheCloseCodeAfterTheLastOutput() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/exit?0"))) {
            assertThat(c.nextText()).isEqualTo("status 0");
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(1000);
        }
        try (TestClient c = TestClient.connect(client, ws("run/exit?3"))) {
            assertThat(c.nextText()).isEqualTo("status 3");
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1011);
            assertThat(reason.getReasonPhrase()).isEqualTo("exit status 3");
        }
        // Each exit is counted under its route and status.
        java.util.function.Supplier<String> scrape = () -> {
            try {
                return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(Deployments.base(base)
                        .resolve("metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        dev.socketworks.testing.Poll.until(java.time.Duration.ofSeconds(10), "both exits counted", () ->
                MetricsIT.value(scrape.get(), "socketworks_run_exits_total", "route=\"exit\",status=\"3\"") >= 1
                        && MetricsIT.value(scrape.get(), "socketworks_run_exits_total", "route=\"exit\",status=\"0\"") >= 1);
        assertThat(scrape.get()).contains("socketworks_run_processes{route=\"exit\"}");
    }

    @Test
    void whenTheClientLeavesAProgramThatIgnoresStdinAndSigtermIsKilledWithItsChild() throws Exception {
        long shell;
        long child;
        try (TestClient c = TestClient.connect(client, ws("run/stubborn"))) {
            String[] pids = c.nextText().split(" ");
            shell = Long.parseLong(pids[0]);
            child = Long.parseLong(pids[1]);
            assertThat(alive(shell)).isTrue();
            assertThat(alive(child)).isTrue();
        }
        // stdin closed, then SIGTERM after the grace (ignored), then SIGKILL after another
        awaitGone(shell);
        awaitGone(child);
    }

    @Test
    void aProgramThatNeverReadsItsInputIsStillEndedWhenItsFloodingClientLeaves() throws Exception {
        long pid;
        try (TestClient c = TestClient.connect(client, ws("run/deaf"))) {
            pid = Long.parseLong(c.nextText());
            String chunk = "y".repeat(64 * 1024);
            for (int i = 0; i < 24; i++) { // 1.5 MiB: far more than a pipe holds, so the server's write blocks; under the rate limit's 2 MiB burst
                c.session().getAsyncRemote().sendText(chunk);
            }
        }
        awaitGone(pid);
    }

    /** Waits for any process of this machine to end (ProcessHandle.onExit works for non-children too). */
    private static void awaitGone(long pid) throws Exception {
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(TestClient.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                throw new AssertionError("process " + pid + " still running after " + TestClient.DEADLINE, stillRunning);
            }
        }
        assertThat(alive(pid)).as("process %d", pid).isFalse();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aRouteAtItsProcessLimitClosesTheNextClientWith1013UntilAPlaceIsFree() throws Exception {
        TestClient first = TestClient.connect(client, ws("run/limited"));
        try (TestClient second = TestClient.connect(client, ws("run/limited"))) {
            for (TestClient c : List.of(first, second)) {
                c.session().getBasicRemote().sendText("running");
                assertThat(c.nextText()).isEqualTo("running");
            }
            try (TestClient third = TestClient.connect(client, ws("run/limited"))) {
                CloseReason refused = third.awaitClose();
                assertThat(refused.getCloseCode().getCode()).isEqualTo(1013);
                assertThat(refused.getReasonPhrase()).isEqualTo("route limited is at its limit of 2");
            }
            first.close(); // cat ends on EOF, which frees its place
            long deadline = System.nanoTime() + TestClient.DEADLINE.toNanos();
            while (true) {
                try (TestClient next = TestClient.connect(client, ws("run/limited"))) {
                    String answer;
                    try {
                        next.session().getBasicRemote().sendText("my turn");
                        answer = next.nextTextOrClose();
                    } catch (IllegalStateException refusedAlready) { // the 1013 came before the send
                        answer = null;
                    }
                    if (answer != null) {
                        assertThat(answer).isEqualTo("my turn");
                        break;
                    }
                    assertThat(next.awaitClose().getCloseCode().getCode()).isEqualTo(1013);
                }
                assertThat(System.nanoTime()).as("a place is free again").isLessThan(deadline);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void sixtyFourMessagesOf16KiBInFlightThroughCatDoNotDeadlock() throws Exception {
        String payload = "x".repeat(16 * 1024);
        try (TestClient c = TestClient.connect(client, ws("run/cat"))) {
            for (int i = 0; i < 64; i++) {
                c.session().getAsyncRemote().sendText(String.format("%02d", i) + payload).get();
            }
            for (int i = 0; i < 64; i++) {
                assertThat(c.nextText()).isEqualTo(String.format("%02d", i) + payload);
            }
        }
        byte[] bytes = new byte[64 * 16 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        try (TestClient c = TestClient.connect(client, ws("run/cat-binary"))) {
            for (int i = 0; i < 64; i++) {
                c.session().getAsyncRemote().sendBinary(ByteBuffer.wrap(bytes, i * 16 * 1024, 16 * 1024)).get();
            }
            assertThat(receiveBytes(c, bytes.length)).isEqualTo(bytes);
        }
    }

    @Test
    void anOutputLineOfExactlyTheMessageLimitPassesAndOneByteMoreCloses1011() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/long-line?" + MAX_MESSAGE_BYTES))) {
            assertThat(c.nextText()).hasSize(MAX_MESSAGE_BYTES).matches("x+");
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(1000);
        }
        try (TestClient c = TestClient.connect(client, ws("run/long-line?" + (MAX_MESSAGE_BYTES + 1)))) {
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1011);
            assertThat(reason.getReasonPhrase()).isEqualTo("program wrote a line over " + MAX_MESSAGE_BYTES + " bytes");
        }
    }

    @Test
    void aTcpRouteRelaysLinesAndClosesWhenTheServiceDoes() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/relay"))) {
            c.session().getBasicRemote().sendText("hello");
            assertThat(c.nextText()).isEqualTo("tcp:hello");
            c.session().getBasicRemote().sendText("bye");
            assertThat(c.nextText()).isEqualTo("tcp:bye");
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1000);
            assertThat(reason.getReasonPhrase()).isEqualTo("service closed the connection");
        }
        try (TestClient c = TestClient.connect(client, ws("run/relay-down"))) {
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1011);
            assertThat(reason.getReasonPhrase()).isEqualTo("cannot reach the service");
        }
    }

    @Test
    void aRouteMayAllowOriginsTheRestOfTheServerRefuses() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("run/elsewhere"), "https://elsewhere.example", List.of())) {
            c.session().getBasicRemote().sendText("allowed here");
            assertThat(c.nextText()).isEqualTo("allowed here");
        }
        assertThat(TestClient.refusedStatus(client, ws("echo"), "https://elsewhere.example")).isEqualTo(403);
        assertThat(TestClient.refusedStatus(client, ws("run/elsewhere"), "https://other.example")).isEqualTo(403);
        assertThat(TestClient.refusedStatus(client, ws("run/cat"), "https://elsewhere.example")).isEqualTo(403);
    }

    @Test
    void theRoutesAreListedWithoutTheirCommandsAndUnknownOnesAreNotFound() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(Deployments.base(base).resolve("routes")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"name\":\"fizzbuzz\"", "\"subprotocols\":[\"ex2\"]", "\"kind\":\"tcp\"")
                .doesNotContain("sleep", "python3", "127.0.0.1");
        HttpResponse<String> plainGet = http.send(HttpRequest.newBuilder(Deployments.base(base).resolve("run/cat")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plainGet.statusCode()).isEqualTo(426);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(Deployments.base(base).resolve("run/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void theStartPageListsTheRoutesAndTheEchoPageTalksToOne() {
        try (Browser browser = new Browser()) {
            Page start = browser.newPage("start");
            start.navigate(Deployments.base(base).toString());
            assertThat(start.locator("#route-list li")).hasCount(routeCount);
            assertThat(start.locator("#route-list li").nth(2)).containsText("fizzbuzz");
            assertThat(start.locator("#route-list li").nth(2)).containsText("subprotocols ex2");
            start.locator("#route-list a", new Page.LocatorOptions().setHasText("fizzbuzz")).click();

            assertThat(start.locator("#title")).hasText("Route fizzbuzz");
            assertThat(start.locator("#burst-form")).isHidden(); // round trips mean nothing for a program
            start.locator("#connect").click();
            assertThat(start.locator("#status")).hasText("connected");
            start.locator("#text").fill("15");
            start.locator("#send").click();
            start.locator("#text").fill("fifteen");
            start.locator("#send").click();
            assertThat(start.locator("#log .in")).hasText(new String[]{"< 15 => FizzBuzz", "< error: cannot process input"});
            Browser.screenshot(start, "route-fizzbuzz");
            assertThat(browser.consoleErrors).as("browser console errors").isEmpty();
        }
    }

    private static byte[] receiveBytes(TestClient c, int total) throws InterruptedException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (received.size() < total) {
            ByteBuffer chunk = c.nextBinary(); // pipes keep no message boundaries: bytes come in any chunking
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            received.writeBytes(bytes);
        }
        return received.toByteArray();
    }

    /** A TCP service on 127.0.0.1 answering each line with "tcp:" and the line; "bye" also ends the connection. */
    private static ServerSocket startLineService() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket connection = server.accept();
                    Thread handler = new Thread(() -> answer(connection), "line-service-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "line-service");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void answer(Socket connection) {
        try (connection;
             BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = connection.getOutputStream();
            for (String line; (line = in.readLine()) != null; ) {
                out.write(("tcp:" + line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (line.equals("bye")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the relay closed the connection: nothing to answer
        }
    }
}
