package dev.socketworks.bridge;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.handshake.OriginPolicy;

/** The handshake policy of every endpoint, with the route's own allowed origins when it has them. */
final class RouteConfigurator extends HandshakePolicy {

    private final Bridge bridge;
    private final Route route;

    RouteConfigurator(Bridge bridge, Route route) {
        this.bridge = bridge;
        this.route = route;
    }

    @Override
    protected OriginPolicy originPolicy(Settings settings) {
        return route.allowedOrigins() != null ? route.allowedOrigins() : settings.originPolicy();
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new RouteEndpoint(bridge, route));
    }
}
