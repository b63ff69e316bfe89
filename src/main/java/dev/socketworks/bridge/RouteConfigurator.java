package dev.socketworks.bridge;

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
    public OriginPolicy ownOriginPolicy() {
        return route.allowedOrigins();
    }

    @Override
    protected boolean keepsRequest() {
        return true; // a program gets the client's request as CGI variables
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new RouteEndpoint(bridge, route));
    }
}
