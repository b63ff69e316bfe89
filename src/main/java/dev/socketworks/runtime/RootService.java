package dev.socketworks.runtime;

import jakarta.websocket.Endpoint;

import java.util.List;
import java.util.function.Supplier;

/**
 * A service offered at the WAR's root path {@code /} to clients asking for one of its
 * {@code subprotocols} ({@code byDefault}: also to clients asking for none). Clients written for
 * {@code ws://host/} (the Node chat demo's, the websocketd talk's pages) reach their service there
 * by the subprotocol they offer. {@code name} is for logs; any one of {@code rightsToConnect} lets a
 * client open it (as the service's own path would ask).
 */
public record RootService(String name, List<String> subprotocols, boolean byDefault, List<String> rightsToConnect,
                          Supplier<Endpoint> endpoint) {

    public RootService {
        subprotocols = List.copyOf(subprotocols);
        rightsToConnect = List.copyOf(rightsToConnect);
    }
}
