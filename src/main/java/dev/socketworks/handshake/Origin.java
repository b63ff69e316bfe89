package dev.socketworks.handshake;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web origin: scheme, host and port, with the scheme's default port filled in. Parsing accepts only
 * the serialized form browsers send ({@code scheme://host[:port]}): no userinfo, path, query, fragment,
 * trailing slash or trailing dot, so lookalikes such as {@code http://trusted@evil.test} never parse.
 */
public record Origin(String scheme, String host, int port) {

    /** A DNS name of letters, digits and inner hyphens, or a bracketed IPv6 literal. */
    static final String HOST = "(\\[[0-9a-f:.]+]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)";
    private static final Pattern SERIALIZED = Pattern.compile("([a-z][a-z0-9+.-]*)://" + HOST + "(?::([0-9]{1,5}))?");

    public static final int NO_PORT = -1;

    public Origin {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = bracketIpv6(host.toLowerCase(Locale.ROOT));
        if (port == NO_PORT) {
            port = defaultPort(scheme);
        }
    }

    /** The origin in an Origin header, or empty when the text is not exactly a serialized origin. */
    public static Optional<Origin> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SERIALIZED.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = NO_PORT;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new Origin(m.group(1), m.group(2), port));
    }

    /** The port a browser leaves out of the Origin for this scheme; unknown schemes have none. */
    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> NO_PORT;
        };
    }

    private static String bracketIpv6(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return port == defaultPort(scheme) ? scheme + "://" + host : scheme + "://" + host + ":" + port;
    }
}
