package dev.socketworks.runtime;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.inbound.BinaryAssembler;
import dev.socketworks.inbound.MessageTooLargeException;
import dev.socketworks.inbound.TextAssembler;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.Heartbeat;
import dev.socketworks.outbox.Outbox;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
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
    private final TextAssembler text;
    private final BinaryAssembler binary;
    private final List<Hub.Subscription> subscriptions = new CopyOnWriteArrayList<>();

    private Connection(AppContext app, Outbox outbox, Heartbeat heartbeat) {
        this.app = app;
        this.outbox = outbox;
        this.heartbeat = heartbeat;
        this.text = new TextAssembler(app.settings().maxMessageBytes());
        this.binary = new BinaryAssembler(app.settings().maxMessageBytes());
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

    /** Call for every message received that does not go through {@link #text} or {@link #binary}. */
    public void heard() {
        heartbeat.heardMessage();
    }

    /**
     * Joins one part of an incoming text message (endpoints take partial messages so the size limit
     * is exact and the same on every container). Returns the whole message once its last part is
     * in, else null; a message over {@code maxMessageBytes} closes the session with 1009 instead.
     */
    public String text(String part, boolean last) {
        heartbeat.heardMessage();
        try {
            return text.append(part, last);
        } catch (MessageTooLargeException e) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
            return null;
        }
    }

    /** As {@link #text}, for binary messages; the result is the caller's own copy. */
    public ByteBuffer binary(ByteBuffer part, boolean last) {
        heartbeat.heardMessage();
        try {
            return binary.append(part, last);
        } catch (MessageTooLargeException e) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
            return null;
        }
    }

    /** A hub subscriber that delivers every message to this client's outbox unchanged. */
    public Subscriber subscriber() {
        return subscriber(UnaryOperator.identity());
    }

    /** A hub subscriber that delivers text to this client as {@code format} renders it. */
    public Subscriber subscriber(UnaryOperator<String> format) {
        return new Subscriber() {
            @Override
            public void text(String message) {
                outbox.enqueueText(format.apply(message));
            }

            @Override
            public void binary(ByteBuffer data) {
                outbox.enqueueBinary(data);
            }

            @Override
            public void flush() {
                outbox.flush();
            }
        };
    }

    /** Keeps a hub subscription for this client; it ends when the client leaves ({@link #closed()}). */
    public void keep(Hub.Subscription subscription) {
        subscriptions.add(subscription);
    }

    /** Call from {@code @OnClose}: ends subscriptions, heartbeat and the place among open sessions. */
    public void closed() {
        subscriptions.forEach(Hub.Subscription::close);
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
