package dev.socketworks.runtime;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Learns the annotated endpoints the container found in this WAR, so each path is declared once, in
 * its {@code @ServerEndpoint}, and the plain-HTTP answers on those paths follow it. Deploys every
 * annotated endpoint found; programmatic ones are added by {@link Extension}s at start-up instead.
 * The container calls this while it scans the WAR, before the application's listeners run.
 */
public class DeployedEndpoints implements ServerApplicationConfig {

    // One per web application: this class is loaded by the WAR's own class loader.
    private static volatile List<String> annotatedPaths = List.of();

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
        return Set.of();
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        annotatedPaths = scanned.stream()
                .filter(type -> type.isAnnotationPresent(ServerEndpoint.class))
                .map(type -> type.getAnnotation(ServerEndpoint.class).value())
                .sorted().collect(Collectors.toUnmodifiableList());
        return scanned;
    }

    /** The paths of the annotated endpoints deployed, e.g. "/chat/{room}". */
    static List<String> annotatedPaths() {
        return annotatedPaths;
    }
}
