package dev.socketworks.bridge;

import dev.socketworks.config.Settings;
import dev.socketworks.runtime.Extension;
import dev.socketworks.runtime.RootService;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.logging.Logger;

/** Plugs {@code /run} into the deployment: its routes become endpoints; undeploy ends their programs. */
public final class BridgeExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(BridgeExtension.class.getName());

    private Bridge bridge;

    @Override
    public List<ServerEndpointConfig> start(Settings settings, ServletContext context) {
        bridge = Bridge.load(settings); // a bad routes file throws here, naming route and field
        context.setAttribute(Bridge.ATTRIBUTE, bridge);
        if (!bridge.routes().isEmpty()) {
            LOG.info(() -> "Routes from " + settings.routesFile() + ": " + bridge.routes().stream()
                    .map(r -> r.path() + " -> " + r.target().describe()).toList());
        }
        return bridge.endpoints();
    }

    /**
     * Each route listing subprotocols is also served at {@code /} to clients offering one of them
     * (the websocketd talk's pages open {@code ws://host/} with "ex1", "ex2"...). Not a route with
     * its own allowedOrigins: the root answers with the deployment's policy, which would widen it.
     */
    @Override
    public List<RootService> atRoot() {
        if (bridge == null) {
            return List.of();
        }
        return bridge.routes().stream()
                .filter(route -> !route.subprotocols().isEmpty() && route.allowedOrigins() == null)
                .map(route -> new RootService("route " + route.name(), route.subprotocols(), false,
                        List.of("run:" + route.name()), () -> new RouteEndpoint(bridge, route)))
                .toList();
    }

    /** Each route's programs running, and their exit statuses, in the deployment's metrics. */
    @Override
    public void started(dev.socketworks.runtime.AppContext app) {
        Bridge routes = bridge;
        if (routes == null) {
            return;
        }
        var registry = app.metrics().registry();
        for (Route route : routes.routes()) {
            io.micrometer.core.instrument.Gauge.builder("socketworks.run.processes", routes, b -> b.running(route))
                    .tag("route", route.name()).description("programs running (or TCP connections open) for a route, at most its maxSessions")
                    .register(registry);
        }
        routes.countExitsWith((route, status) -> io.micrometer.core.instrument.Counter.builder("socketworks.run.exits")
                .tag("route", route.name()).tag("status", status >= 0 && status <= 255 ? Integer.toString(status) : "other")
                .description("programs that exited, by route and exit status (128 + N: ended by signal N)")
                .register(registry).increment()); // at most 257 series per route: statuses are bytes
    }

    @Override
    public void stop(Settings settings) {
        if (bridge != null) {
            bridge.stop(settings.runStopGrace());
        }
    }
}
