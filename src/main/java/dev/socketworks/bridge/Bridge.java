package dev.socketworks.bridge;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.ConfiguredEndpoints;
import dev.socketworks.handshake.HandshakeContext;
import dev.socketworks.handshake.OriginPolicy;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The configured routes of this deployment: registers an endpoint for each at deploy time, keeps
 * each route within its limit, and at undeploy ends every program and connection it started.
 */
public final class Bridge implements ConfiguredEndpoints {

    private final List<Route> routes;
    private final Map<String, Semaphore> slots;
    private final Set<Backend> running = ConcurrentHashMap.newKeySet();

    private Bridge(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.slots = routes.stream().collect(Collectors.toUnmodifiableMap(Route::name, r -> new Semaphore(r.maxSessions())));
    }

    /** The routes the settings name, or none; an unusable routes file throws {@link InvalidRoutesException}. */
    public static Bridge load(Settings settings) {
        String file = settings.routesFile();
        return new Bridge(file.isEmpty() ? List.of() : RoutesFile.read(Path.of(file)));
    }

    public List<Route> routes() {
        return routes;
    }

    /** Adds one endpoint per route; must run while the application deploys. */
    public void register(ServerContainer container) throws DeploymentException {
        for (Route route : routes) {
            container.addEndpoint(ServerEndpointConfig.Builder.create(RouteEndpoint.class, route.path())
                    .subprotocols(route.subprotocols())
                    .configurator(new RouteConfigurator(this, route))
                    .build());
        }
    }

    @Override
    public boolean exists(String path) {
        return route(path) != null;
    }

    @Override
    public OriginPolicy allowedOrigins(String path) {
        Route route = route(path);
        return route == null ? null : route.allowedOrigins();
    }

    private Route route(String path) {
        return routes.stream().filter(r -> r.path().equals(path)).findFirst().orElse(null);
    }

    boolean tryReserve(Route route) {
        return slots.get(route.name()).tryAcquire();
    }

    void release(Route route) {
        slots.get(route.name()).release();
    }

    /**
     * Starts the program, or connects to the service, for a client whose slot is reserved. The slot
     * is freed when the program or connection ends, or here if it cannot start.
     */
    Backend start(Route route, Connection connection, Session session) throws IOException {
        AtomicReference<Backend> started = new AtomicReference<>();
        AtomicBoolean ended = new AtomicBoolean();
        Runnable onEnd = () -> {
            if (ended.compareAndSet(false, true)) {
                release(route);
                Backend backend = started.get();
                if (backend != null) {
                    running.remove(backend);
                }
            }
        };
        Settings settings = connection.settings();
        try {
            Backend backend = route.kind() == Route.Kind.TCP
                    ? TcpBackend.connect(route, session.getId(), connection.outbox(), settings.runConnectTimeout(),
                            settings.maxMessageBytes(), onEnd)
                    : ProgramBackend.start(route, session.getId(), connection.outbox(),
                            CgiEnvironment.build(route, HandshakeContext.of(session), uniqueId(), System.getenv()),
                            connection.app().scheduling().executor(), settings.runStopGrace(),
                            settings.maxMessageBytes(), onEnd);
            started.set(backend);
            running.add(backend);
            if (ended.get()) {
                running.remove(backend); // it ended before it was recorded
            }
            return backend;
        } catch (IOException | RuntimeException e) {
            onEnd.run();
            throw e;
        }
    }

    private static String uniqueId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Undeploy: asks every program to end (stdin closed, SIGTERM), waits up to {@code grace} for all
     * of them together, then kills what is left, descendants included.
     */
    public void stop(Duration grace) {
        List<Backend> all = List.copyOf(running);
        all.forEach(Backend::stop);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && all.stream().anyMatch(Backend::isAlive)) {
            try {
                Thread.sleep(20); // a poll with a deadline: there is no way to wait for several processes at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        all.forEach(Backend::forceStop);
    }

    /** For logs and the start page: name, kind, mode and subprotocols; never commands or addresses. */
    public static Map<String, Object> describe(Route route) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("name", route.name());
        description.put("path", "run/" + route.name());
        description.put("kind", route.kind().name().toLowerCase(Locale.ROOT));
        description.put("mode", route.mode().name().toLowerCase(Locale.ROOT));
        description.put("subprotocols", route.subprotocols());
        return description;
    }
}
