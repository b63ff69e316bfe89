package dev.socketworks.runtime;

import dev.socketworks.auth.Authenticator;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.outbox.CloseReasons;
import io.micrometer.core.instrument.Gauge;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /admin/stream}: the admin page's live figures, every {@link #INTERVAL_MS}: every server (ready,
 * draining, connections), this server's endpoints (open, messages and bytes each way, delivery lag,
 * rate-limited, slow consumers), refusals by reason, the recent cuts and refusals with their reasons,
 * the busiest rooms on every server, the arenas and the {@code /run} routes' programs here. Only for an operator, checked before the
 * upgrade ({@code AdmissionFilter}): an API key with the right {@code admin}, offered as the
 * subprotocol entry {@code apikey.<base64url of the key>} beside {@code admin.v1} (a browser's
 * WebSocket can send no header, and a URL would leave the key in logs), or a signed-in user whose
 * token or role gives {@code admin}; never a guest (401). The same figures answer {@code GET
 * /api/admin} ({@link AdminApi}). Actions are the HTTP API's, called by the page with the same key.
 */
@ServerEndpoint(value = AdminEndpoint.PATH, subprotocols = "admin.v1", configurator = HandshakePolicy.class)
public class AdminEndpoint {

    private static final Logger LOG = Logger.getLogger(AdminEndpoint.class.getName());

    static final String PATH = "/admin/stream";

    /** Between two snapshots: each costs a question to every server, so not faster. */
    static final long INTERVAL_MS = 2_000;
    /** Rooms listed: the busiest. */
    static final int ROOMS_SHOWN = 20;
    static final String RIGHT = "admin";

    /** A server, as every server describes itself to the API ({@code InfoApi.Server}). */
    public record ServerShown(String node, boolean ready, boolean draining, String startedAt, int connections) {
    }

    public record RoomShown(String room, int connections) {
    }

    /** One server's rooms, as it answers the control question {@code rooms}. */
    public record ServerRooms(Map<String, Integer> rooms) {
    }

    /** One snapshot; {@code missing} names servers that did not answer in time. */
    public record Snapshot(String type, String time, String node, String engine, List<ServerShown> servers, List<String> missing,
                           Metrics.Figures figures, List<RoomShown> rooms, int roomsInUse, long arenas, long arenaPlaces,
                           List<RouteShown> routes) {
    }

    /** A {@code /run} route here: its programs running now (at most its maxSessions). */
    public record RouteShown(String route, long running) {
    }

    private Connection connection;
    private ScheduledFuture<?> ticks; // guarded by this
    private boolean snapshotRunning; // guarded by this: one at a time, a slow round is skipped, not queued

    /** The key an {@code apikey.} entry carries (base64url), or null when none is offered; "" when it cannot be decoded. */
    static String offeredKey(List<String> protocolHeaders) {
        for (String header : protocolHeaders) {
            for (String entry : header.split(",")) {
                String offered = entry.strip();
                if (offered.startsWith(Authenticator.API_KEY_PREFIX)) {
                    try {
                        return new String(Base64.getUrlDecoder().decode(offered.substring(Authenticator.API_KEY_PREFIX.length())),
                                StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return "";
                    }
                }
            }
        }
        return null;
    }

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        if (connection.identity().isGuest() || !connection.may(RIGHT)) {
            // Where the container upgraded before the admission filter could ask (Jetty).
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "an API key with the right admin is needed"));
            return;
        }
        LOG.info(() -> "Admin stream opened by " + connection.identity().displayName() + " on " + connection.describe());
        start();
    }

    @OnMessage
    public void onText(String part, boolean last) {
        if (connection != null) {
            connection.text(part, last); // nothing to say here: counted against the client's rate like any message
        }
    }

    private void start() {
        synchronized (this) {
            ticks = connection.app().scheduling().executor().scheduleWithFixedDelay(this::tick, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** On the shared scheduler: hands the snapshot to the engine's threads, since it waits for every server. */
    private void tick() {
        synchronized (this) {
            if (snapshotRunning) {
                return;
            }
            snapshotRunning = true;
        }
        try {
            connection.app().engineWork().execute(() -> {
                try {
                    connection.outbox().sendText(JsonMessages.toJson(snapshot(connection.app())));
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "admin snapshot skipped", e);
                } finally {
                    synchronized (this) {
                        snapshotRunning = false;
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            synchronized (this) {
                snapshotRunning = false;
            }
        }
    }

    static Snapshot snapshot(AppContext app) {
        List<ServerShown> servers = List.of();
        List<String> missing = List.of();
        Map<String, Integer> rooms = new TreeMap<>();
        try {
            ServerControl.Answers info = app.control().ask("info", Map.of());
            servers = info.bodies(ServerShown.class).stream().sorted(Comparator.comparing(ServerShown::node)).toList();
            missing = info.missing();
            app.control().ask("rooms", Map.of()).bodies(ServerRooms.class)
                    .forEach(server -> server.rooms().forEach((room, n) -> rooms.merge(room, n, Integer::sum)));
        } catch (EngineUnavailableException | ServerControl.BusyException e) {
            missing = List.of("(the engine cannot be reached)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<RoomShown> busiest = rooms.entrySet().stream().map(e -> new RoomShown(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt(RoomShown::connections).reversed().thenComparing(RoomShown::room))
                .limit(ROOMS_SHOWN).toList();
        return new Snapshot("figures", java.time.Instant.now().toString(), app.hub().node(), app.hub().shared() ? "redis" : "memory",
                servers, missing, app.metrics().figures(), busiest, rooms.size(),
                gauge(app, "socketworks.arenas"), gauge(app, "socketworks.arena.places"), routes(app));
    }

    /** The routes' gauges the bridge registered, read back: the runtime knows no route itself. */
    private static List<RouteShown> routes(AppContext app) {
        return app.metrics().registry().find("socketworks.run.processes").gauges().stream()
                .map(g -> new RouteShown(g.getId().getTag("route"), (long) g.value()))
                .sorted(Comparator.comparing(RouteShown::route)).toList();
    }

    private static long gauge(AppContext app, String name) {
        Gauge gauge = app.metrics().registry().find(name).gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }

    @OnClose
    public void close(CloseReason reason) {
        synchronized (this) {
            if (ticks != null) {
                ticks.cancel(false);
            }
        }
        if (connection != null) {
            connection.closed(reason);
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
