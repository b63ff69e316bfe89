package dev.socketworks.handshake;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /** As {@link #of(String, String, Set, int)}, each IPv6 address its own. */
    public static String of(String peer, String forwardedFor, Set<String> trustedProxies) {
        return of(peer, forwardedFor, trustedProxies, 128);
    }

    /**
     * The client's address, an IPv6 one as its network of {@code ipv6Prefix} bits ("2001:db8:1:2:0:0:0:0/64"):
     * one IPv6 host is usually given a whole /64, so counting single addresses would let it open connections
     * without end.
     */
    public static String of(String peer, String forwardedFor, Set<String> trustedProxies, int ipv6Prefix) {
        return network(client(peer, forwardedFor, trustedProxies), ipv6Prefix);
    }

    private static String client(String peer, String forwardedFor, Set<String> trustedProxies) {
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

    /** An IPv6 literal masked to its first {@code prefix} bits; anything else as it is. */
    static String network(String address, int prefix) {
        if (prefix >= 128 || address.indexOf(':') < 0) {
            return address;
        }
        int zone = address.indexOf('%');
        String literal = zone < 0 ? address : address.substring(0, zone);
        if (!literal.matches("[0-9a-f:.]{2,45}")) {
            return address; // not an address: counted as it is
        }
        try {
            // A literal (checked above) is parsed, never looked up.
            InetAddress parsed = InetAddress.getByName(literal);
            if (!(parsed instanceof Inet6Address v6)) {
                return parsed.getHostAddress(); // an IPv4-mapped address is its IPv4 address
            }
            byte[] bytes = v6.getAddress();
            for (int bit = prefix; bit < 128; bit++) {
                bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static String normalize(String address) {
        return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
    }
}
