package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployed with allowedOrigins = same-origin,http://localhost,https://*.example.com (set per container
 * as a system property by the build), so each refused origin below imitates a real entry.
 */
class HandshakePolicyIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @Test
    void clientsWithoutOriginAreAllowedByDefault() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            c.session().getBasicRemote().sendText("ok");
            assertThat(c.nextText()).isEqualTo("ok");
        }
    }

    @Test
    void pagesOfTheSameOriginAreAllowed() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"), Deployments.sameOrigin(base), List.of())) {
            c.session().getBasicRemote().sendText("ok");
            assertThat(c.nextText()).isEqualTo("ok");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost", "http://localhost:80", "https://app.example.com", "https://a.b.example.com"})
    void listedOriginsAreAllowed(String origin) throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"), origin, List.of())) {
            c.session().getBasicRemote().sendText(origin);
            assertThat(c.nextText()).isEqualTo(origin);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost.evil.test",
            "http://evil-localhost",
            "https://localhost",
            "http://localhost:8081",
            "http://localhost@evil.test",
            "http://evil.test@localhost",
            "http://localhost/",
            "https://example.com",
            "https://evilexample.com",
            "https://example.com.evil.test",
            "http://app.example.com",
            "null",
    })
    void crossOriginHandshakeIsRefusedWith403(String origin) throws Exception {
        assertThat(TestClient.refusedStatus(client, ws("echo"), origin)).as(origin).isEqualTo(403);
    }

    @Test
    void sameHostOnAnotherSchemeOrPortIsRefusedWith403() throws Exception {
        String same = Deployments.sameOrigin(base);
        int port = base.getPort();
        assertThat(TestClient.refusedStatus(client, ws("echo"), same.replace("http://", "https://"))).isEqualTo(403);
        assertThat(TestClient.refusedStatus(client, ws("echo"), same.replace(":" + port, ":" + (port + 1)))).isEqualTo(403);
    }

    @Test
    void aRefusedHandshakeLeavesOthersUntouchedAndIsCountedUnderItsReason() throws Exception {
        double before = MetricsIT.value(scrape(), "socketworks_handshakes_refused_total", "reason=\"origin\"");
        double subprotocolBefore = MetricsIT.value(scrape(), "socketworks_handshakes_refused_total", "reason=\"subprotocol\"");
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            assertThat(TestClient.refusedStatus(client, ws("echo"), "http://evil.test")).isEqualTo(403);
            c.session().getBasicRemote().sendText("still here");
            assertThat(c.nextText()).isEqualTo("still here");
        }
        try (TestClient c = TestClient.connect(client, ws("echo"), null, List.of("mqtt"))) {
            c.awaitClose();
        }
        String after = scrape();
        assertThat(MetricsIT.value(after, "socketworks_handshakes_refused_total", "reason=\"origin\"")).isGreaterThanOrEqualTo(before + 1);
        assertThat(MetricsIT.value(after, "socketworks_handshakes_refused_total", "reason=\"subprotocol\"")).isEqualTo(subprotocolBefore + 1);
    }

    private String scrape() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(Deployments.base(base).resolve("metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theClientsFirstSupportedSubprotocolIsChosen() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"), null, List.of("unknown.v9", "echo.v1"))) {
            assertThat(c.session().getNegotiatedSubprotocol()).isEqualTo("echo.v1");
            c.session().getBasicRemote().sendText("negotiated");
            assertThat(c.nextText()).isEqualTo("negotiated");
        }
    }

    @Test
    void noSubprotocolOfferedMeansNoneChosen() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            assertThat(c.session().getNegotiatedSubprotocol()).isEmpty();
        }
    }

    @Test
    void onlyUnsupportedSubprotocolsAreRefusedWith1002ListingTheSupportedOnes() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"), null, List.of("chat.v1", "mqtt"))) {
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.PROTOCOL_ERROR);
            assertThat(reason.getReasonPhrase()).isEqualTo("unsupported subprotocol; supported: echo.v1");
        }
    }
}
