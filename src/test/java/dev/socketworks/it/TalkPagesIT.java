package dev.socketworks.it;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The websocketd talk's three example pages in Chromium, served unchanged (ex3's client.js with the
 * corrections src/test/talk/README.md lists) from the same origin as the WAR. The pages open
 * {@code ws://localhost:8080/} with their subprotocol, so this suite runs its own Tomcat on port 8080
 * with the WAR at the root context and the example routes' subprotocols; it is skipped, saying so,
 * when port 8080 is taken.
 */
class TalkPagesIT {

    private static final int TALK_PORT = 8080;
    private static final String ORIGIN = "http://localhost:" + TALK_PORT;

    private static ClusterNodes.Node server;
    private static Process tcpChat;
    private static Browser browser;

    @BeforeAll
    static void startServerAtTheRoot() throws Exception {
        Assumptions.assumeTrue(isFree(TALK_PORT), "port 8080, which the talk's pages hard-code, is taken on this machine");
        int chatPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            chatPort = free.getLocalPort();
        }
        Path programs = Path.of("server-config", "programs").toAbsolutePath();
        tcpChat = new ProcessBuilder(python(), programs.resolve("tcp-chat.py").toString(), Integer.toString(chatPort))
                .redirectErrorStream(true).redirectOutput(Path.of("target", "talk-tcp-chat.log").toFile()).start();
        String routes = """
                {"routes": [
                  {"name": "echo", "command": ["cat"], "subprotocols": ["ex1"]},
                  {"name": "fizzbuzz", "command": ["python3", "fizzbuzz.py"], "workingDirectory": "%s",
                   "environment": ["PATH", "PYTHONUNBUFFERED=1"], "subprotocols": ["ex2"]},
                  {"name": "chat", "kind": "tcp", "host": "127.0.0.1", "port": %d, "subprotocols": ["ex3"]}
                ]}
                """.formatted(programs, chatPort);
        Path file = Path.of("target", "talk-routes.json").toAbsolutePath();
        Files.writeString(file, routes);
        server = ClusterNodes.tomcatAtRoot("talk", TALK_PORT, "/talk", Path.of("src", "test", "talk"),
                Map.of("routes", file.toString()));
        server.start();
        Poll.until(Duration.ofSeconds(10), "the TCP chat listening", () -> !isFree(chatPort));
        browser = new Browser();
        PlaywrightAssertions.setDefaultAssertionTimeout(TestClient.DEADLINE.toMillis());
    }

    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            assertThat(browser.consoleErrors).as("console errors").isEmpty();
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (tcpChat != null) {
            tcpChat.destroy();
            tcpChat.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void exampleOneAlertsTheEchoOfItsGreeting() throws Exception {
        Page page = browser.newPage("ex1");
        List<String> alerts = new CopyOnWriteArrayList<>();
        page.onDialog(dialog -> {
            alerts.add(dialog.message());
            dialog.accept();
        });
        page.navigate(ORIGIN + "/talk/ex1.html");
        page.waitForCondition(() -> !alerts.isEmpty(), new Page.WaitForConditionOptions().setTimeout(20_000));
        assertThat(alerts).containsExactly("Hello !");
        Browser.screenshot(page, "talk-ex1");
        page.context().close();
    }

    @Test
    void exampleTwoLogsFizzBuzzForZeroToOneHundred() {
        Page page = browser.newPage("ex2");
        List<String> logged = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(message -> {
            if (message.type().equals("log")) {
                logged.add(message.text());
            }
        });
        page.navigate(ORIGIN + "/talk/ex2.html");
        page.waitForCondition(() -> logged.size() >= 101, new Page.WaitForConditionOptions().setTimeout(20_000));
        assertThat(logged).hasSize(101).startsWith("0 => FizzBuzz", "1 => 1", "2 => 2", "3 => Fizz")
                .contains("15 => FizzBuzz").endsWith("100 => Buzz");
        page.context().close();
    }

    @Test
    void exampleThreeChatsThroughTheTcpChatWithItsClientCorrected() {
        Page ann = browser.newPage("ex3-ann");
        Page bob = browser.newPage("ex3-bob");
        ann.navigate(ORIGIN + "/talk/ex3.html");
        bob.navigate(ORIGIN + "/talk/ex3.html");
        // The page shows no status: a click before its socket opened would do nothing (the handler
        // is added on open), so both first wait for their socket to be open.
        for (Page page : List.of(ann, bob)) {
            page.waitForFunction("() => typeof ws !== 'undefined' && ws.readyState === WebSocket.OPEN");
        }
        ann.locator("#input").fill("hello from ann");
        ann.locator("#send").click();
        PlaywrightAssertions.assertThat(bob.locator("#chat div", new Page.LocatorOptions().setHasText("hello from ann"))).hasCount(1);
        bob.locator("#input").fill("hi ann");
        bob.locator("#input").press("Enter");
        PlaywrightAssertions.assertThat(ann.locator("#chat div", new Page.LocatorOptions().setHasText("hi ann"))).hasCount(1);
        Browser.screenshot(ann, "talk-ex3");
        ann.context().close();
        bob.context().close();
    }
}
