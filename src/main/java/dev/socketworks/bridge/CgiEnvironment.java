package dev.socketworks.bridge;

import dev.socketworks.handshake.HandshakeContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a route's program starts with, as websocketd builds it: CGI variables describing
 * the client, then only the variables the route allows from the server's environment and the
 * route's fixed ones. Client-supplied values only ever become variable values, never arguments or names of
 * the program's own variables: headers are prefixed HTTP_, and a "Proxy" header is dropped so it
 * cannot become HTTP_PROXY, which many HTTP libraries would obey (the "httpoxy" hole).
 */
public final class CgiEnvironment {

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]+");

    private CgiEnvironment() {
    }

    /**
     * @param uniqueId a value no other connection gets, for the program's logs (UNIQUE_ID)
     */
    public static Map<String, String> build(Route.Program program, HandshakeContext client, String uniqueId,
                                            Map<String, String> serverEnvironment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (client != null) {
            for (Map.Entry<String, List<String>> header : client.headers().entrySet()) {
                String name = header.getKey();
                if (HEADER_NAME.matcher(name).matches() && !name.equalsIgnoreCase("proxy")) {
                    env.put("HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'),
                            clean(String.join(", ", header.getValue())));
                }
            }
            String query = client.queryString();
            env.put("REMOTE_ADDR", orEmpty(client.remoteAddress()));
            env.put("REMOTE_HOST", orEmpty(client.remoteAddress())); // no reverse DNS lookups, as websocketd's default
            env.put("REMOTE_PORT", client.remotePort() < 0 ? "" : Integer.toString(client.remotePort()));
            env.put("SERVER_NAME", orEmpty(client.serverName()));
            env.put("SERVER_PORT", client.serverPort() < 0 ? "" : Integer.toString(client.serverPort()));
            env.put("REQUEST_URI", clean(client.requestUri() + (query.isEmpty() ? "" : "?" + query)));
            env.put("QUERY_STRING", clean(query));
            env.put("SCRIPT_NAME", clean(client.requestUri()));
            // CGI's names for who the client proved to be (a token's subject); empty for a guest.
            boolean user = client.identity() != null && !client.identity().isGuest();
            env.put("REMOTE_USER", user ? clean(client.identity().subject()) : "");
            env.put("AUTH_TYPE", user ? clean(client.identity().authType()) : "");
        }
        env.put("PATH_INFO", "");
        env.put("REQUEST_METHOD", "GET");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        env.put("SERVER_SOFTWARE", "Socketworks");
        env.put("GATEWAY_INTERFACE", "websocketd-CGI/0.1"); // what websocketd programs may test for
        env.put("UNIQUE_ID", uniqueId);
        // The operator's variables come last, so no client value can replace one of them.
        for (String name : program.passEnvironment()) {
            String value = serverEnvironment.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(program.setEnvironment());
        return env;
    }

    /** A variable's value cannot hold NUL; other control characters pass, as they did in the header. */
    private static String clean(String value) {
        return value == null ? "" : value.replace("\0", "");
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
