package dev.socketworks.handshake;

import dev.socketworks.auth.Identity;

import jakarta.websocket.Session;

import java.util.List;
import java.util.Map;

/**
 * What the handshake knew about the client, kept in the session's user properties for as long as the
 * connection lives: so only what is used, bounded. Every endpoint keeps the address it is counted
 * under and whether subprotocols were offered; the request's line and headers are kept only where a
 * service passes them on (the process bridge's CGI variables), at most {@value #MAX_KEPT_HEADER_CHARS}
 * chars of headers. A fat upgrade request (a 7 KB Sec-WebSocket-Protocol list) used to pin its every
 * header, parameter and offered token for the connection's life.
 *
 * @param clientAddress         the address the connection is counted under (the peer, or the client a
 *                              trusted proxy names)
 * @param headers               request headers, names in lower case; empty unless the endpoint keeps them
 * @param offeredSubprotocols   whether the client offered any subprotocol
 * @param supportedSubprotocols the endpoint's own list (shared, not copied)
 * @param identity              who the client is (a guest without credentials); null where no admission check ran
 * @param endpoint              the endpoint's path template ("/chat/{room}"): what metrics are counted under, never the room
 */
public record HandshakeContext(String remoteAddress, int remotePort, String clientAddress,
                               String serverName, int serverPort,
                               String requestUri, String queryString,
                               Map<String, List<String>> headers,
                               boolean offeredSubprotocols, List<String> supportedSubprotocols, Identity identity,
                               String endpoint) {

    /** Header chars (names and values) kept for an endpoint that passes them on: Tomcat's default limit for a whole request head. */
    public static final int MAX_KEPT_HEADER_CHARS = 8192;

    static final String USER_PROPERTY = HandshakeContext.class.getName();

    /** The context of an endpoint that needs nothing of the request but who sent it. */
    static HandshakeContext minimal(String clientAddress, boolean offeredSubprotocols, List<String> supportedSubprotocols,
                                    Identity identity, String endpoint) {
        return new HandshakeContext(null, -1, clientAddress, null, -1, "", "", Map.of(), offeredSubprotocols,
                supportedSubprotocols, identity, endpoint);
    }

    /** The context recorded for this session, or null if the session did not pass the policy. */
    public static HandshakeContext of(Session session) {
        return (HandshakeContext) session.getUserProperties().get(USER_PROPERTY);
    }

    /** The first value of a request header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
