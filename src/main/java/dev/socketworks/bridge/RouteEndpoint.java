package dev.socketworks.bridge;

import dev.socketworks.logging.LogLimiter;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /run/{name}}: one client of a configured route. Translates only: client messages go to the
 * program's stdin (or the TCP connection), its output comes back through the client's outbox.
 * Registered programmatically, one instance per connection, by {@link Bridge#register}.
 */
public final class RouteEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(RouteEndpoint.class.getName());

    private final Bridge bridge;
    private final Route route;
    private Connection connection;
    private volatile Backend backend;

    RouteEndpoint(Bridge bridge, Route route) {
        this.bridge = bridge;
        this.route = route;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        if (!bridge.tryReserve(route)) {
            LogLimiter.log(LOG, Level.INFO, "run/" + route.name() + " limit", () -> "run/" + route.name()
                    + ": refused " + connection.describe() + ", already " + route.maxSessions() + " running");
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER,
                    "route " + route.name() + " is at its limit of " + route.maxSessions()));
            return;
        }
        try {
            backend = bridge.start(route, connection, session);
        } catch (IOException | RuntimeException e) {
            boolean tcp = route.target() instanceof Route.Tcp;
            String what = route.logContext(connection.describe()) + ": cannot " + (tcp ? "connect to " : "start ")
                    + route.target().describe();
            if (e instanceof IOException) {
                // A service down or a program gone: no stack needed; every visit would log one, so limited.
                LogLimiter.log(LOG, Level.WARNING, "route unavailable", () -> what + ": " + e.getMessage());
            } else {
                LogLimiter.log(LOG, Level.WARNING, "route failed", () -> what, e);
            }
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.UNEXPECTED_CONDITION,
                    tcp ? "cannot reach the service" : "cannot start the program"));
            return;
        }
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) this::onBinary);
    }

    /**
     * A text message becomes one line of input; it is written as it is, so a message holding
     * newlines reaches the program as several lines (as with websocketd).
     */
    private void onText(String part, boolean last) {
        String message = connection.text(part, last);
        if (message != null) {
            toBackend(message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void onBinary(ByteBuffer part, boolean last) {
        if (route.mode() == Route.Mode.TEXT) {
            connection.heard();
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.CANNOT_ACCEPT,
                    "route " + route.name() + " takes text messages"));
            return;
        }
        ByteBuffer message = connection.binary(part, last);
        if (message != null) {
            toBackend(Backend.bytes(message));
        }
    }

    /**
     * Blocks while the program is not reading its stdin: the container then stops reading from this
     * client, which is how a client that sends faster than its program reads is held back.
     */
    private void toBackend(byte[] data) {
        try {
            backend.send(data);
        } catch (IOException e) {
            // The program closed its stdin or exited; its exit closes the session with its status.
            LOG.log(Level.FINE, "run/" + route.name() + ": input not delivered, the program stopped reading", e);
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Backend started = backend;
        if (started != null) {
            started.clientLeft();
        }
        if (connection != null) {
            connection.closed(reason);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
