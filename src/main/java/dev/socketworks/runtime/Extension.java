package dev.socketworks.runtime;

import dev.socketworks.config.Settings;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;

/**
 * A service that plugs into the deployment's start and stop without the runtime knowing it: found
 * with {@link java.util.ServiceLoader} (META-INF/services/dev.socketworks.runtime.Extension in the
 * WAR). The configured routes of {@code /run} are one.
 */
public interface Extension {

    /**
     * Runs at start-up, after the settings were loaded and checked. Returns the endpoints to add
     * (they are registered, and answered on plain HTTP, like the annotated ones). Throwing stops the
     * deployment with the exception's message.
     */
    List<ServerEndpointConfig> start(Settings settings, ServletContext context);

    /**
     * Services this extension offers at the root path {@code /}, by subprotocol; asked after every
     * extension has started.
     */
    default List<RootService> atRoot() {
        return List.of();
    }

    /** Runs once the deployment's context (settings, hub, scheduler) exists, before any client connects. */
    default void started(AppContext app) {
    }

    /** Runs at undeploy, after every session was closed. */
    void stop(Settings settings);
}
