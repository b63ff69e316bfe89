package dev.socketworks.handshake;

import java.util.Locale;
import java.util.Set;

/**
 * The address a connection is counted under. It is the socket's peer, unless that peer is one of
 * the operator's {@code trustedProxies}: then X-Forwarded-For is read from its right end (the hop
 * the trusted proxy added) leftwards, past further trusted proxies, and the first other address is
 * the client. Entries a client wrote itself, further left, are never reached, so they cannot be used
 * to pass as someone else.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(String peer, String forwardedFor, Set<String> trustedProxies) {
        String client = normalize(peer);
        if (forwardedFor == null || !trustedProxies.contains(client)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = normalize(hops[i]);
            if (hop.isEmpty()) {
                break;
            }
            client = hop;
            if (!trustedProxies.contains(hop)) {
                break;
            }
        }
        return client;
    }

    private static String normalize(String address) {
        return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
    }
}
