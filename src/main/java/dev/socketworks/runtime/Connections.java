package dev.socketworks.runtime;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** This server's open connections by id: what the API lists and closes. */
public final class Connections {

    private final ConcurrentHashMap<String, Connection> byId = new ConcurrentHashMap<>();

    void add(Connection connection) {
        byId.put(connection.id(), connection);
    }

    void remove(Connection connection) {
        byId.remove(connection.id(), connection);
    }

    /** The open connection with {@code id} on this server, or null. */
    public Connection get(String id) {
        return byId.get(id);
    }

    /** A live view: connections open and close while it is read. */
    public Collection<Connection> all() {
        return byId.values();
    }
}
