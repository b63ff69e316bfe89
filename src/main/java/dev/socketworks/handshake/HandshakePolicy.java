package dev.socketworks.handshake;

import dev.socketworks.auth.Authenticator;
import dev.socketworks.auth.Identity;
import java.util.Arrays;

import dev.socketworks.config.Settings;
import dev.socketworks.json.Unicode;
import dev.socketworks.logging.LogLimiter;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one handshake policy of every endpoint: Origin check, subprotocol choice, and the client's
 * request context copied into the session. Decisions are delegated to pure classes
 * ({@link OriginPolicy}, {@link Subprotocols}) that are unit-tested without a container.
 */
public class HandshakePolicy extends ServerEndpointConfig.Configurator {

    private static final Logger LOG = Logger.getLogger(HandshakePolicy.class.getName());

    /** What a refused Origin is counted as: the Origin itself, or a Host outside allowedHosts that kept same-origin from applying. */
    public enum OriginRefusal { ORIGIN, HOST }

    private static volatile java.util.function.Consumer<OriginRefusal> refusals = refusal -> { };

    /** Where the deployment counts refused Origins (its metrics); {@code null} at undeploy. */
    public static void countRefusalsWith(java.util.function.Consumer<OriginRefusal> counter) {
        refusals = counter == null ? refusal -> { } : counter;
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        Settings settings = Settings.current();
        UpgradeRequest request = UpgradeRequest.current();
        OriginPolicy.Verdict verdict = verdict(originPolicy(settings), settings, originHeaderValue, request);
        if (!verdict.allowed()) {
            refusals.accept(request != null && !hostPolicy(settings).allows(request.serverName()) ? OriginRefusal.HOST : OriginRefusal.ORIGIN);
            LogLimiter.log(LOG, Level.WARNING, "refused origin", () -> "Refused WebSocket handshake from origin '"
                    + printable(originHeaderValue) + "'"
                    + (request == null ? "" : " (client " + request.remoteAddress() + ")") + ": " + verdict.reason());
        }
        return verdict.allowed();
    }

    /**
     * The Origin check of one request. {@code same-origin} compares with the request's own origin
     * only when its Host is in {@code allowedHosts}: a DNS-rebinding page chooses both.
     */
    static OriginPolicy.Verdict verdict(OriginPolicy policy, Settings settings, String originHeader,
                                        UpgradeRequest request) {
        Origin requestOrigin = request == null ? null : request.requestOrigin();
        HostPolicy hosts = hostPolicy(settings);
        boolean hostAllowed = request != null && hosts.allows(request.serverName());
        OriginPolicy.Verdict verdict = policy.check(originHeader, hostAllowed ? requestOrigin : null,
                settings.allowMissingOrigin());
        if (!verdict.allowed() && request != null && !hostAllowed) {
            return OriginPolicy.Verdict.refuse(verdict.reason() + "; same-origin did not apply: Host '"
                    + printable(request.serverName()) + "' is not in allowedHosts [" + hosts + "]");
        }
        return verdict;
    }

    /** The allowed origins: the global setting, unless an endpoint (a configured route) has its own. */
    protected OriginPolicy originPolicy(Settings settings) {
        OriginPolicy own = ownOriginPolicy();
        return own != null ? own : globalOriginPolicy(settings);
    }

    /** This endpoint's own allowed origins, or null where the global setting applies. */
    public OriginPolicy ownOriginPolicy() {
        return null;
    }

    /** The parsed policies of one Settings: parsed once, not per handshake. */
    private record Parsed(Settings settings, OriginPolicy origins, HostPolicy hosts) {
    }

    private static volatile Parsed parsed;

    private static Parsed parsed(Settings settings) {
        Parsed p = parsed;
        if (p == null || p.settings() != settings) {
            p = new Parsed(settings, settings.interpret(Settings.ALLOWED_ORIGINS, OriginPolicy::parse),
                    settings.interpret(Settings.ALLOWED_HOSTS, HostPolicy::parse));
            parsed = p;
        }
        return p;
    }

    /**
     * Parses {@code allowedOrigins} and {@code allowedHosts}: call at start-up, so a bad value fails
     * the deployment (InvalidSettingException) instead of the first handshake.
     */
    public static void validate(Settings settings) {
        parsed(settings);
    }

    /** {@code allowedOrigins}, parsed. */
    public static OriginPolicy globalOriginPolicy(Settings settings) {
        return parsed(settings).origins();
    }

    static HostPolicy hostPolicy(Settings settings) {
        return parsed(settings).hosts();
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return Subprotocols.choose(supported, Subprotocols.tokens(requested));
    }

    /**
     * Whether this endpoint passes the request's line and headers on (the process bridge does, as CGI
     * variables); every other endpoint keeps only who sent it, for the connection's life.
     */
    protected boolean keepsRequest() {
        return false;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        // Jakarta WebSocket 2.1: these user properties are a per-connection copy that becomes the
        // Session's, so concurrent handshakes cannot see each other's context.
        UpgradeRequest upgrade = UpgradeRequest.current();
        String clientAddress = upgrade == null ? null : upgrade.clientAddress();
        boolean offered = false; // a token's bearer entry is no subprotocol: offered alone, nothing is asked for
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase("sec-websocket-protocol")) {
                offered |= header.getValue().stream().flatMap(value -> Arrays.stream(value.split(",")))
                        .map(String::strip).anyMatch(entry -> !entry.isEmpty() && !Authenticator.isCredential(entry));
            }
        }
        Identity identity = UpgradeRequest.identity();
        HandshakeContext context = keepsRequest()
                ? new HandshakeContext(
                        upgrade == null ? null : upgrade.remoteAddress(), upgrade == null ? -1 : upgrade.remotePort(),
                        clientAddress, upgrade == null ? null : upgrade.serverName(), upgrade == null ? -1 : upgrade.serverPort(),
                        request.getRequestURI().getPath(), withoutAccessToken(request.getQueryString()),
                        keptHeaders(request.getHeaders()), offered, config.getSubprotocols(), identity, config.getPath())
                : HandshakeContext.minimal(clientAddress, offered, config.getSubprotocols(), identity, config.getPath());
        config.getUserProperties().put(HandshakeContext.USER_PROPERTY, context);
    }

    /**
     * Headers by name (in lower case) until {@link HandshakeContext#MAX_KEPT_HEADER_CHARS}: a header that
     * does not fit is dropped. Credentials are never kept (they would reach a program's environment):
     * no {@code Authorization}, no bearer entry of {@code Sec-WebSocket-Protocol}.
     */
    static Map<String, List<String>> keptHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> kept = new TreeMap<>();
        int budget = HandshakeContext.MAX_KEPT_HEADER_CHARS;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("authorization")) {
                continue;
            }
            List<String> values = name.equals("sec-websocket-protocol") ? withoutBearer(header.getValue()) : header.getValue();
            if (values.isEmpty()) {
                continue;
            }
            int size = name.length() + values.stream().mapToInt(String::length).sum();
            if (size > budget) {
                continue;
            }
            budget -= size;
            kept.put(name, List.copyOf(values));
        }
        return kept;
    }

    private static List<String> withoutBearer(List<String> values) {
        return values.stream()
                .map(value -> Arrays.stream(value.split(",")).map(String::strip)
                        .filter(entry -> !entry.isEmpty() && !Authenticator.isCredential(entry))
                        .collect(java.util.stream.Collectors.joining(", ")))
                .filter(value -> !value.isEmpty())
                .toList();
    }

    /** The query string without an {@code access_token} parameter (a credential), "" for none. */
    static String withoutAccessToken(String query) {
        if (query == null) {
            return "";
        }
        return Arrays.stream(query.split("&")).filter(p -> !p.equals("access_token") && !p.startsWith("access_token="))
                .collect(java.util.stream.Collectors.joining("&"));
    }

    /**
     * Call first in every {@code @OnOpen}. A client that offered subprotocols, none of which this
     * endpoint speaks, was let through the handshake without one (the API cannot refuse it there); it
     * is closed now with 1002 and a reason listing what is supported, so it never runs unnoticed
     * without the protocol it asked for.
     *
     * @return null when the session may proceed, else the reason to close it with (code 1002)
     */
    public static String refusal(Session session) {
        HandshakeContext context = HandshakeContext.of(session);
        if (context == null || !context.offeredSubprotocols()
                || !session.getNegotiatedSubprotocol().isEmpty()) {
            return null;
        }
        String supported = context.supportedSubprotocols().isEmpty()
                ? "none" : String.join(", ", context.supportedSubprotocols());
        return "unsupported subprotocol; supported: " + supported;
    }

    /** Header text made safe for one log line. */
    static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        return Unicode.quotable(text, 200);
    }
}
