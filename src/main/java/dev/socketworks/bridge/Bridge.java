package dev.socketworks.bridge;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.HandshakeContext;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.Session;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The configured routes of this deployment: registers an endpoint for each at deploy time, keeps
 * each route within its limit, and at undeploy ends every program and connection it started.
 */
public final class Bridge {

    /** The servlet context attribute holding the deployment's Bridge (for the route list). */
    public static final String ATTRIBUTE = Bridge.class.getName();

    private static final Logger LOG = Logger.getLogger(Bridge.class.getName());

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

    /** One endpoint per route, for the deployment to add. */
    List<ServerEndpointConfig> endpoints() {
        return routes.stream().map(route -> ServerEndpointConfig.Builder.create(RouteEndpoint.class, route.path())
                .subprotocols(route.subprotocols())
                .configurator(new RouteConfigurator(this, route))
                .build()).toList();
    }

    private volatile java.util.function.ObjIntConsumer<Route> exits = (route, status) -> { };

    /** Where each program's exit status goes: the deployment's metrics. */
    void countExitsWith(java.util.function.ObjIntConsumer<Route> counter) {
        this.exits = counter;
    }

    /** Programs running (or TCP connections open) for {@code route} now. */
    int running(Route route) {
        return route.maxSessions() - slots.get(route.name()).availablePermits();
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
            Backend backend;
            if (route.target() instanceof Route.Tcp service) {
                backend = TcpBackend.connect(route, service, connection.describe(), connection.outbox(),
                        settings.runConnectTimeout(), settings.maxMessageBytes(), onEnd);
            } else {
                Route.Program program = (Route.Program) route.target(); // sealed: the only other kind
                backend = ProgramBackend.start(route, program, connection.describe(), connection.outbox(),
                        CgiEnvironment.build(program, HandshakeContext.of(session), uniqueId(), System.getenv()),
                        settings.runStopGrace(), settings.maxMessageBytes(), onEnd);
            }
            started.set(backend);
            running.add(backend);
            if (backend instanceof ProgramBackend program) {
                program.exitStatus().thenAccept(status -> exits.accept(route, status));
            }
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
     * Undeploy: ends every program and connection together (stdin closed and SIGTERM at once, SIGKILL
     * one {@code grace} later for what is left, descendants included) and waits until all are gone.
     */
    public void stop(Duration grace) {
        CompletableFuture<?>[] ending = running.stream().map(Backend::stop).toArray(CompletableFuture[]::new);
        try {
            // Each sequence ends by SIGKILL after one grace period; the extra second only guards the wait.
            CompletableFuture.allOf(ending).get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "Not every program of /run ended at undeploy", e);
        }
    }

    /** For logs and the start page: name, kind, mode and subprotocols; never commands or addresses. */
    public static Map<String, Object> describe(Route route) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("name", route.name());
        description.put("path", "run/" + route.name());
        description.put("kind", route.target().kind());
        description.put("mode", route.mode().name().toLowerCase(Locale.ROOT));
        description.put("subprotocols", route.subprotocols());
        return description;
    }
}
