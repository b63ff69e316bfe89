package dev.socketworks.echo;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.inbound.BinaryAssembler;
import dev.socketworks.inbound.MessageTooLargeException;
import dev.socketworks.inbound.TextAssembler;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.Outbox;
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
    private Outbox outbox;
    private TextAssembler text;
    private BinaryAssembler binary;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        Settings settings = connection.settings();
        outbox = connection.outbox();
        text = new TextAssembler(settings.maxMessageBytes());
        binary = new BinaryAssembler(settings.maxMessageBytes());
        if (!settings.echoGreeting().isEmpty()) {
            outbox.sendText(settings.echoGreeting());
        }
    }

    @OnMessage
    public void onText(String part, boolean last) {
        if (connection == null) {
            return; // refused in open(); the close is on its way
        }
        connection.heard();
        try {
            String message = text.append(part, last);
            if (message != null) {
                outbox.sendText(message);
            }
        } catch (MessageTooLargeException e) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        if (connection == null) {
            return;
        }
        connection.heard();
        try {
            ByteBuffer message = binary.append(part, last);
            if (message != null) {
                outbox.sendBinary(message);
            }
        } catch (MessageTooLargeException e) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
        }
    }

    @OnClose
    public void close() {
        if (connection != null) {
            connection.closed();
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
