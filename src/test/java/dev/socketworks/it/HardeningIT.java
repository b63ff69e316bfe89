package dev.socketworks.it;

import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hostile client against the others (issue 11), with a small rate limit (burst 10, 5/s) so a
 * flood is short. Each test checks that the attacker gets a clear answer and that everyone else goes on.
 */
class HardeningIT extends ContainerSuite {

    static final int BURST = 10;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // A short heartbeat, as in ChatIT: on Tyrus a dropped @OnClose is found by the next ping.
        // Flooders come "from" addresses of their own (127.0.0.1 is trusted as a proxy): a flooder's
        // address reconnects without a burst for a while, which must not touch the other tests.
        return Deployments.withSettings(Map.of("socketworks.rateBurst", String.valueOf(BURST),
                "socketworks.rateMessagesPerSecond", "5", "socketworks.heartbeatIntervalMs", "2000",
                "socketworks.trustedProxies", "127.0.0.1"));
    }

    @Test
    void aLoneSurrogateIsRefusedAndTheRoomAndLaterJoinersGoOn() throws Exception {
        try (ChatClient alice = ChatClient.connect(client, ws("chat/surrogates"), "chat.v1");
             ChatClient bob = ChatClient.connect(client, ws("chat/surrogates"), "chat.v1")) {
            alice.join("Alice");
            alice.expect("chat-join:Alice", "chat-presence:Alice:Alice");
            bob.join("Bob");
            bob.expect("chat-join:Bob", "chat-presence:Bob:Alice,Bob");
            alice.expect("chat-join:Bob");

            alice.send("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi \\ud800\"}}");
            alice.expect("error:invalid-field");
            alice.say("Alice", "still here \uD83D\uDE00");
            bob.expect("chat-message:Alice:still here \uD83D\uDE00");
            alice.expect("chat-message:Alice:still here \uD83D\uDE00");

            try (ChatClient carol = ChatClient.connect(client, ws("chat/surrogates"), "chat.v1")) {
                carol.join("Carol");
                carol.expect("chat-message:Alice:still here \uD83D\uDE00", "chat-join:Carol");
            }
        }
    }

    @Test
    void parserBombsAndTrailingDataGetTheServicesErrorAndTheConnectionStays() throws Exception {
        try (TestClient totals = TestClient.connect(client, ws("totals"), null, List.of("totals.json"))) {
            String first = totals.nextText();
            assertThat(first).contains("\"type\":\"total\"");
            totals.session().getBasicRemote().sendText("[".repeat(1000));
            assertThat(totals.nextText()).contains("\"code\":\"malformed-json\"");
            totals.session().getBasicRemote().sendText("{\"add\":" + "9".repeat(2000) + "}");
            assertThat(totals.nextText()).contains("\"code\":\"invalid-field\"");
            totals.session().getBasicRemote().sendText("{\"add\":5} junk");
            assertThat(totals.nextText()).contains("\"code\":\"malformed-json\"");
            totals.session().getBasicRemote().sendText("{\"add\":0}");
            assertThat(totals.nextText()).contains("\"type\":\"total\"");
        }
        try (ChatClient chat = ChatClient.connect(client, ws("chat/bombs"), "chat.v1")) {
            chat.send("{\"type\":\"chat-join\",\"payload\":" + "{\"a\":".repeat(1500) + "1" + "}".repeat(1501));
            chat.expect("error:malformed-json");
            chat.send("{\"type\":\"chat-join\"}{\"type\":\"chat-join\"}");
            chat.expect("error:malformed-json");
            chat.join("Dee");
            chat.expect("chat-join:Dee");
        }
    }

    @Test
    void aBroadcastFlooderIsClosedAndItsReadersAreNot() throws Exception {
        try (TestClient reader = TestClient.connect(client, ws("broadcast"));
             TestClient flooder = TestClient.connectWithHeaders(client, ws("broadcast"), from("10.9.0.1"), List.of())) {
            proveSubscribed(reader, flooder);
            for (int i = 0; i < 1000 && !flooder.isClosed(); i++) {
                flooder.sendExpectingClose("flood " + i);
            }
            CloseReason reason = flooder.awaitClose();
            // Embedded GlassFish and Jetty may drop a client that is still sending after the server's
            // close frame, before that frame is read (GlassFish seen once; Jetty 12 in about 1 run of 8
            // of this class; Payara, also Tyrus, and the other default containers never did): 1006 there.
            boolean droppedWhileSending = (container().equals("glassfish") || container().equals("jetty"))
                    && reason.getCloseCode() == CloseReason.CloseCodes.CLOSED_ABNORMALLY;
            if (!droppedWhileSending) {
                assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
                assertThat(reason.getReasonPhrase()).isEqualTo("rate limit");
                // An operator sees it: the dropped messages and the 1008 close, under /broadcast.
                dev.socketworks.testing.Poll.until(Duration.ofSeconds(10), "the cut in the metrics", () -> {
                    String scraped = MetricsIT.scrape(base);
                    return MetricsIT.value(scraped, "socketworks_messages_rate_limited_total", "endpoint=\"/broadcast\"") >= 1
                            && MetricsIT.value(scraped, "socketworks_connections_closed_total", "code=\"1008\",endpoint=\"/broadcast\"") >= 1;
                });
            }

            // Reconnecting is no way around it: at once, the flooder's address gets HTTP 429 while a
            // new address is admitted; it may connect again after a burst period (one per period).
            assertThat(TestClient.refusedStatus(client, ws("echo"), from("10.9.0.1"))).isEqualTo(429);
            assertThat(MetricsIT.value(MetricsIT.scrape(base), "socketworks_handshakes_refused_total", "reason=\"flood\"")).isPositive();
            try (TestClient fresh = TestClient.connectWithHeaders(client, ws("echo"), from("10.9.0.2"), List.of());
                 TestClient again = connectOnceAllowed(from("10.9.0.1"))) {
                fresh.session().getBasicRemote().sendText("fresh");
                assertThat(fresh.nextText()).isEqualTo("fresh");
                again.session().getBasicRemote().sendText("again");
                assertThat(again.nextText()).isEqualTo("again");
            }

            try (TestClient other = TestClient.connect(client, ws("broadcast"))) {
                other.session().getBasicRemote().sendText("after the flood");
                String seen;
                do {
                    seen = reader.nextText();
                } while (seen.startsWith("flood ") || seen.startsWith("ready"));
                assertThat(seen).isEqualTo("after the flood");
            }
        }
    }

    @Test
    void aChatFlooderIsToldThenClosedAndTheRoomGoesOn() throws Exception {
        try (ChatClient calm = ChatClient.connect(client, ws("chat/flood"), "chat.v1");
             ChatClient flooder = ChatClient.connectFrom(client, ws("chat/flood"), "chat.v1", "10.9.0.3")) {
            calm.join("Calm");
            calm.expect("chat-join:Calm", "chat-presence:Calm:Calm");
            flooder.join("Flood");
            flooder.expect("chat-join:Flood", "chat-presence:Flood:Calm,Flood");
            for (int i = 0; i < 1000 && !flooder.socket.isClosed(); i++) {
                flooder.socket.sendExpectingClose("{\"type\":\"chat-message\",\"payload\":{\"message\":\"flood\"}}");
            }
            CloseReason reason = flooder.socket.awaitClose();
            assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
            assertThat(reason.getReasonPhrase()).isEqualTo("rate limit");
            boolean toldFirst = false;
            for (String message = flooder.socket.nextTextOrClose(); message != null;
                 message = flooder.socket.nextTextOrClose()) {
                toldFirst |= message.contains("\"code\":\"rate-limited\"");
            }
            assertThat(toldFirst).as("the flooder was answered rate-limited before it was closed").isTrue();

            calm.expect("chat-join:Flood");
            JsonObject next;
            do {
                next = calm.next();
            } while (ChatClient.summary(next).equals("chat-message:Flood:flood"));
            assertThat(ChatClient.summary(next)).isEqualTo("chat-leave:Flood");
            calm.say("Calm", "quiet again");
            calm.expect("chat-message:Calm:quiet again");
        }
    }

    @Test
    void sameOriginNeedsAnAllowedHostSoDnsRebindingIsRefused() throws Exception {
        URI echo = ws("echo");
        int port = echo.getPort();
        String rebound = "attacker.example:" + port;
        assertThat(RawClient.handshakeStatus(echo, rebound, "http://" + rebound)).isEqualTo(403);
        String local = "localhost:" + port;
        assertThat(RawClient.handshakeStatus(echo, local, "http://" + local)).isEqualTo(101);
        String ip = "127.0.0.1:" + port;
        assertThat(RawClient.handshakeStatus(echo, ip, "http://" + ip)).isEqualTo(101);
    }

    /** Connects to /echo, trying again while the address is refused (HTTP 429), up to the deadline. */
    private TestClient connectOnceAllowed(Map<String, List<String>> headers) throws Exception {
        long deadline = System.nanoTime() + TestClient.DEADLINE.toNanos();
        while (true) {
            try {
                return TestClient.connectWithHeaders(client, ws("echo"), headers, List.of());
            } catch (jakarta.websocket.DeploymentException refused) {
                // Each refused handshake (a cheap HTTP 429) paces this poll; the deadline bounds it.
                assertThat(System.nanoTime()).as("connected again within the deadline").isLessThan(deadline);
            }
        }
    }

    private static Map<String, List<String>> from(String address) {
        return Map.of("X-Forwarded-For", List.of(address));
    }

    private static void proveSubscribed(TestClient reader, TestClient sender) throws Exception {
        sender.session().getBasicRemote().sendText("ready");
        assertThat(reader.nextText()).isEqualTo("ready");
        assertThat(sender.nextText()).isEqualTo("ready");
    }
}
