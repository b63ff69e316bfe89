package dev.socketworks.echo;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;
import java.util.logging.Logger;

/**
 * {@code /echo}: every text and binary message comes back unchanged, empty ones included, up to
 * {@code maxMessageBytes}; a larger one closes the session with 1009. Subprotocol {@code echo.v1} is
 * optional. With {@code echoGreeting} set, that text is sent first (the Catalyst demo's "Echo Initiated").
 */
@ServerEndpoint(value = "/echo", subprotocols = {"echo.v1"}, configurator = HandshakePolicy.class)
public class EchoEndpoint {

    private static final Logger LOG = Logger.getLogger(EchoEndpoint.class.getName());

    private Connection connection;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection != null && !connection.settings().echoGreeting().isEmpty()) {
            connection.outbox().sendText(connection.settings().echoGreeting());
        }
    }

    @OnMessage
    public void onText(String part, boolean last) {
        String message = connection == null ? null : connection.text(part, last);
        if (message != null) {
            connection.outbox().sendText(message, connection.lastTextBytes());
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        ByteBuffer message = connection == null ? null : connection.binary(part, last);
        if (message != null) {
            connection.outbox().sendBinary(message);
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.closed(reason);
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
