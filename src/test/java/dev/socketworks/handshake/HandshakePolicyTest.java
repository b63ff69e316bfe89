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

    /** The process bridge's policy: it passes the request on to programs. */
    private static final HandshakePolicy KEEPING = new HandshakePolicy() {
        @Override
        protected boolean keepsRequest() {
            return true;
        }
    };

    private static HandshakeContext contextAfter(HandshakePolicy policy, HandshakeRequest request) {
        UpgradeRequest.set(new UpgradeRequest(new Origin("http", "127.0.0.1", 8080), "10.1.2.3", 54321, "127.0.0.1", 8080, "10.1.2.3"));
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Object.class, "/echo")
                .subprotocols(List.of("echo.v1")).build();
        policy.modifyHandshake(config, request, null);
        return (HandshakeContext) config.getUserProperties().get(HandshakeContext.USER_PROPERTY);
    }

    @Test
    void anEndpointThatPassesTheRequestOnKeepsItsLineAndHeaders() {
        HandshakeContext context = contextAfter(KEEPING, request(Map.of(
                "User-Agent", List.of("test-agent"),
                "Sec-WebSocket-Protocol", List.of("x, echo.v1")), "/socketworks/echo", "a=1&b=2",
                Map.of("a", List.of("1"), "b", List.of("2"))));
        assertThat(context.remoteAddress()).isEqualTo("10.1.2.3");
        assertThat(context.remotePort()).isEqualTo(54321);
        assertThat(context.clientAddress()).isEqualTo("10.1.2.3");
        assertThat(context.serverPort()).isEqualTo(8080);
        assertThat(context.requestUri()).isEqualTo("/socketworks/echo");
        assertThat(context.queryString()).isEqualTo("a=1&b=2");
        assertThat(context.header("user-agent")).isEqualTo("test-agent");
        assertThat(context.header("USER-AGENT")).isEqualTo("test-agent");
        assertThat(context.offeredSubprotocols()).isTrue();
        assertThat(context.supportedSubprotocols()).containsExactly("echo.v1");
    }

    /** A 7 KB Sec-WebSocket-Protocol list and 64 fat headers: they pinned 190 KiB per connection for its life. */
    @Test
    void aFatUpgradeRequestLeavesOnlyWhoSentItAndKeepsAtMostEightKiBOfHeadersWhereUsed() {
        Map<String, List<String>> fat = new java.util.HashMap<>();
        fat.put("Sec-WebSocket-Protocol", List.of(String.join(", ", java.util.Collections.nCopies(1000, "p" + "q".repeat(4)))));
        for (int i = 0; i < 64; i++) {
            fat.put("X-Fat-" + i, List.of("v".repeat(4000)));
        }
        HandshakeRequest request = request(fat, "/socketworks/echo", "", Map.of("a", List.of("1".repeat(4000))));

        HandshakeContext minimal = contextAfter(policy, request);
        assertThat(minimal.clientAddress()).isEqualTo("10.1.2.3");
        assertThat(minimal.offeredSubprotocols()).isTrue();
        assertThat(minimal.headers()).isEmpty();
        assertThat(minimal.queryString()).isEmpty();
        assertThat(minimal.remoteAddress()).isNull();

        HandshakeContext kept = contextAfter(KEEPING, request);
        int chars = kept.headers().entrySet().stream()
                .mapToInt(e -> e.getKey().length() + e.getValue().stream().mapToInt(String::length).sum()).sum();
        assertThat(chars).isLessThanOrEqualTo(HandshakeContext.MAX_KEPT_HEADER_CHARS);
        assertThat(kept.headers()).isNotEmpty();
    }

    /** A program behind /run gets the request's headers and query: never the client's credentials. */
    @Test
    void credentialsAreNeverKeptForAProgram() {
        Map<String, List<String>> kept = HandshakePolicy.keptHeaders(Map.of(
                "Authorization", List.of("Bearer secret.token.here"),
                "Sec-WebSocket-Protocol", List.of("chat.v1, bearer.secret.token.here", "bearer.only"),
                "User-Agent", List.of("curl/8")));
        assertThat(kept).doesNotContainKey("authorization");
        assertThat(kept.get("sec-websocket-protocol")).containsExactly("chat.v1");
        assertThat(kept.get("user-agent")).containsExactly("curl/8");
        assertThat(HandshakePolicy.withoutAccessToken("a=1&access_token=secret&b=2")).isEqualTo("a=1&b=2");
        assertThat(HandshakePolicy.withoutAccessToken("access_token")).isEmpty();
        assertThat(HandshakePolicy.withoutAccessToken(null)).isEmpty();
    }

    @Test
    void checkOriginUsesTheRecordedRequestForSameOrigin() {
        // What Bootstrap does at start-up: the container's configurator finds the deployment's settings.
        dev.socketworks.config.Settings.install(dev.socketworks.config.SettingsLoader.load(name -> null));
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
