package dev.socketworks.bench;

import java.net.URI;
import java.util.List;

/**
 * A server the scenarios can aim at: its WebSocket URLs, {@code null} for services it lacks, and the
 * process behind it when the runner started it ({@code null} for a URL given on the command line).
 *
 * @param catProgram a text-mode route to {@code cat}, one process per connection (websocketd's model)
 */
record Target(String name, String echo, String broadcast, String chatRoomPrefix, String totals,
              boolean echoesBinary, int maxConnections, Server server, String catProgram,
              List<Target> otherNodes, List<Server> alsoMeasured) {

    Target(String name, String echo, String broadcast, String chatRoomPrefix, String totals,
           boolean echoesBinary, int maxConnections, Server server, String catProgram) {
        this(name, echo, broadcast, chatRoomPrefix, totals, echoesBinary, maxConnections, server, catProgram, List.of(), List.of());
    }

    /**
     * Several servers sharing one engine, measured as one: clients spread over the nodes
     * ({@link #node}); its CPU is the sum of every node's and the engine's ({@code alsoMeasured}).
     */
    static Target cluster(String name, List<Target> nodes, Server engine) {
        Target first = nodes.get(0);
        List<Server> others = new java.util.ArrayList<>(nodes.subList(1, nodes.size()).stream().map(Target::server).toList());
        others.add(engine);
        return new Target(name, first.echo, first.broadcast, first.chatRoomPrefix, first.totals, first.echoesBinary,
                first.maxConnections, first.server, first.catProgram, nodes.subList(1, nodes.size()), others);
    }

    /** The node the {@code index}-th client connects to: round robin over a cluster's nodes; this server otherwise. */
    Target node(int index) {
        int at = index % (1 + otherNodes.size());
        return at == 0 ? this : otherNodes.get(at - 1);
    }

    static Target socketworks(String name, String base, Server server) {
        return new Target(name, base + "/echo", base + "/broadcast", base + "/chat/", base + "/totals",
                true, Integer.MAX_VALUE, server, base + "/run/cat");
    }

    /** The same server seen through its cat program: the echo scenarios then measure program plumbing. */
    Target throughCat() {
        return new Target(name, catProgram, null, null, null, false, maxConnections, server, catProgram, otherNodes, alsoMeasured);
    }

    /** The arena endpoint's prefix ({@code .../arena/}) of a single Socketworks server; null for the others. */
    String arenaPrefix() {
        return otherNodes.isEmpty() && echo != null && echo.endsWith("/socketworks/echo")
                ? echo.substring(0, echo.length() - "echo".length()) + "arena/" : null;
    }

    URI echoUri() {
        return URI.create(echo);
    }

    /** Every process serving this target: the server, and for a cluster its other nodes and the engine. */
    double serverCpuSeconds() {
        return server == null ? Double.NaN : server.cpuSeconds() + alsoMeasured.stream().mapToDouble(Server::cpuSeconds).sum();
    }
}
