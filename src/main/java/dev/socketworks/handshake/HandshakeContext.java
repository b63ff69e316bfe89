package dev.socketworks.handshake;

import jakarta.websocket.Session;

import java.util.List;
import java.util.Map;

/**
 * What the handshake knew about the client, kept in the session's user properties for logging and
 * for services that need it (the process bridge passes it to programs as CGI variables).
 *
 * @param clientAddress the address the connection is counted under (the peer, or the client a
 *                      trusted proxy names)
 * @param headers    request headers, names in lower case
 * @param parameters query parameters
 * @param offeredSubprotocols the client's Sec-WebSocket-Protocol list, in its order
 */
public record HandshakeContext(String remoteAddress, int remotePort, String clientAddress,
                               String serverName, int serverPort,
                               String requestUri, String queryString,
                               Map<String, List<String>> headers, Map<String, List<String>> parameters,
                               List<String> offeredSubprotocols, List<String> supportedSubprotocols) {

    static final String USER_PROPERTY = HandshakeContext.class.getName();

    public HandshakeContext {
        headers = Map.copyOf(headers);
        parameters = Map.copyOf(parameters);
        offeredSubprotocols = List.copyOf(offeredSubprotocols);
        supportedSubprotocols = List.copyOf(supportedSubprotocols);
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
