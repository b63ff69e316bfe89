package dev.socketworks.bench;

import java.net.URI;

/**
 * A server the scenarios can aim at: its WebSocket URLs, {@code null} for services it lacks, and the
 * process behind it when the runner started it ({@code null} for a URL given on the command line).
 */
record Target(String name, String echo, String broadcast, String chatRoomPrefix, String totals,
              boolean echoesBinary, int maxConnections, Server server) {

    static Target socketworks(String name, String base, Server server) {
        return new Target(name, base + "/echo", base + "/broadcast", base + "/chat/", base + "/totals",
                true, Integer.MAX_VALUE, server);
    }

    URI echoUri() {
        return URI.create(echo);
    }

    double serverCpuSeconds() {
        return server == null ? Double.NaN : server.cpuSeconds();
    }
}
