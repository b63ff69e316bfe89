package dev.socketworks.handshake;

import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakePolicyTest {

    private final HandshakePolicy policy = new HandshakePolicy();

    @AfterEach
    void clearRequest() {
        UpgradeRequest.clear();
    }

    @Test
    void recordsTheClientsContextForTheSession() {
        UpgradeRequest.set(new UpgradeRequest(new Origin("http", "127.0.0.1", 8080), "10.1.2.3", 54321, "127.0.0.1", 8080, "10.1.2.3"));
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Object.class, "/echo")
                .subprotocols(List.of("echo.v1")).build();
        HandshakeRequest request = request(Map.of(
                "User-Agent", List.of("test-agent"),
                "Sec-WebSocket-Protocol", List.of("x, echo.v1")), "/socketworks/echo", "a=1&b=2",
                Map.of("a", List.of("1"), "b", List.of("2")));

        policy.modifyHandshake(config, request, null);

        HandshakeContext context = (HandshakeContext) config.getUserProperties().get(HandshakeContext.USER_PROPERTY);
        assertThat(context.remoteAddress()).isEqualTo("10.1.2.3");
        assertThat(context.remotePort()).isEqualTo(54321);
        assertThat(context.serverPort()).isEqualTo(8080);
        assertThat(context.requestUri()).isEqualTo("/socketworks/echo");
        assertThat(context.queryString()).isEqualTo("a=1&b=2");
        assertThat(context.parameters()).containsEntry("b", List.of("2"));
        assertThat(context.header("user-agent")).isEqualTo("test-agent");
        assertThat(context.header("USER-AGENT")).isEqualTo("test-agent");
        assertThat(context.offeredSubprotocols()).containsExactly("x", "echo.v1");
        assertThat(context.supportedSubprotocols()).containsExactly("echo.v1");
    }

    @Test
    void checkOriginUsesTheRecordedRequestForSameOrigin() {
        UpgradeRequest.set(new UpgradeRequest(new Origin("http", "127.0.0.1", 8080), "127.0.0.1", 1, "127.0.0.1", 8080, "127.0.0.1"));
        assertThat(policy.checkOrigin("http://127.0.0.1:8080")).isTrue();
        assertThat(policy.checkOrigin("http://127.0.0.1:9090")).isFalse();
    }

    @Test
    void negotiationSplitsCombinedHeaderValues() {
        assertThat(policy.getNegotiatedSubprotocol(List.of("b", "c"), List.of("a, c", "b"))).isEqualTo("c");
    }

    @Test
    void logLinesCannotBeForgedThroughTheOriginHeader() {
        assertThat(HandshakePolicy.printable("http://a\r\nFAKE LOG LINE")).doesNotContain("\n").doesNotContain("\r");
        assertThat(HandshakePolicy.printable("x".repeat(500))).hasSize(203);
        assertThat(HandshakePolicy.printable(null)).isEqualTo("(none)");
    }

    private static HandshakeRequest request(Map<String, List<String>> headers, String path, String query,
                                            Map<String, List<String>> parameters) {
        return (HandshakeRequest) Proxy.newProxyInstance(HandshakePolicyTest.class.getClassLoader(),
                new Class<?>[]{HandshakeRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> headers;
                    case "getRequestURI" -> URI.create("ws://127.0.0.1:8080" + path + "?" + query);
                    case "getQueryString" -> query;
                    case "getParameterMap" -> parameters;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

}
