package dev.socketworks.bench;

import java.net.URI;

/**
 * A server the scenarios can aim at: its WebSocket URLs, {@code null} for services it lacks, and the
 * process behind it when the runner started it ({@code null} for a URL given on the command line).
 *
 * @param catProgram a text-mode route to {@code cat}, one process per connection (websocketd's model)
 */
record Target(String name, String echo, String broadcast, String chatRoomPrefix, String totals,
              boolean echoesBinary, int maxConnections, Server server, String catProgram) {

    static Target socketworks(String name, String base, Server server) {
        return new Target(name, base + "/echo", base + "/broadcast", base + "/chat/", base + "/totals",
                true, Integer.MAX_VALUE, server, base + "/run/cat");
    }

    /** The same server seen through its cat program: the echo scenarios then measure program plumbing. */
    Target throughCat() {
        return new Target(name, catProgram, null, null, null, false, maxConnections, server, catProgram);
    }

    URI echoUri() {
        return URI.create(echo);
    }

    double serverCpuSeconds() {
        return server == null ? Double.NaN : server.cpuSeconds();
    }
}
