package dev.socketworks.handshake;

import java.util.ArrayList;
import java.util.List;

/** Subprotocol negotiation: pure functions over the lists the handshake carries. */
public final class Subprotocols {

    private Subprotocols() {
    }

    /**
     * The first subprotocol in the client's order of preference that the endpoint supports, or "" when
     * there is none (the handshake then carries no Sec-WebSocket-Protocol). Names are case-sensitive
     * tokens (RFC 6455 section 4.1).
     */
    public static String choose(List<String> supported, List<String> requested) {
        for (String candidate : requested) {
            if (supported.contains(candidate)) {
                return candidate;
            }
        }
        return "";
    }

    /**
     * Splits Sec-WebSocket-Protocol header values ("a, b" or several headers) into tokens. Containers
     * differ in whether they split the header before calling the Configurator, so it is done here.
     */
    public static List<String> tokens(List<String> headerValues) {
        List<String> tokens = new ArrayList<>();
        if (headerValues != null) {
            for (String value : headerValues) {
                for (String token : value.split(",")) {
                    if (!token.isBlank()) {
                        tokens.add(token.strip());
                    }
                }
            }
        }
        return tokens;
    }
}
