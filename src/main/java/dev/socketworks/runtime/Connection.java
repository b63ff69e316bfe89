package dev.socketworks.runtime;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.outbox.Heartbeat;
import dev.socketworks.outbox.Outbox;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's server-side state shared by every endpoint: its outbox (the only way to send), its
 * place among the open sessions (closed with 1001 at undeploy) and its heartbeat.
 */
public final class Connection {

    private final AppContext app;
    private final Outbox outbox;
    private final Heartbeat heartbeat;

    private Connection(AppContext app, Outbox outbox, Heartbeat heartbeat) {
        this.app = app;
        this.outbox = outbox;
        this.heartbeat = heartbeat;
    }

    /**
     * Call first in {@code @OnOpen}. Returns null when the handshake policy refused the session (it
     * is being closed); the endpoint should then ignore it.
     */
    public static Connection open(Session session) {
        if (!HandshakePolicy.admit(session)) {
            return null;
        }
        AppContext app = AppContext.current();
        Settings settings = app.settings();
        Outbox outbox = new Outbox(session, settings.outboxMaxMessages(), settings.outboxMaxBytes(),
                app.scheduling().executor());
        app.sessions().add(outbox);
        Heartbeat heartbeat = Heartbeat.start(outbox, app.scheduling().executor(), settings.heartbeatInterval(),
                settings.idleTimeout());
        return new Connection(app, outbox, heartbeat);
    }

    public Outbox outbox() {
        return outbox;
    }

    public AppContext app() {
        return app;
    }

    public Settings settings() {
        return app.settings();
    }

    /** Call for every message received: it counts as a sign of life. */
    public void heard() {
        heartbeat.heardMessage();
    }

    /** Call from {@code @OnClose}. */
    public void closed() {
        heartbeat.stop();
        app.sessions().remove(outbox);
    }

    /**
     * For {@code @OnError}: a client going away is normal and logged at FINE; anything else is logged
     * once with the session id.
     */
    public static void logError(Logger log, Session session, Throwable error) {
        if (error instanceof IOException || error.getCause() instanceof IOException) {
            log.log(Level.FINE, "Session " + session.getId() + ": client went away", error);
        } else {
            log.log(Level.WARNING, "Session " + session.getId() + ": " + error, error);
        }
    }
}
