package dev.socketworks.broadcast;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;
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
 * {@code /broadcast}: every text or binary message from any client goes to every connected client,
 * the sender included, unchanged and in one order that all clients share (the order the hub
 * received them). The Twisted and Python broadcast demos' clients work as they are.
 */
@ServerEndpoint(value = "/broadcast", configurator = HandshakePolicy.class)
public class BroadcastEndpoint {

    static final String TOPIC = "broadcast";
    private static final Logger LOG = Logger.getLogger(BroadcastEndpoint.class.getName());

    private Connection connection;
    private Hub hub;
    private Hub.Subscription subscription;
    private TextAssembler text;
    private BinaryAssembler binary;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        Outbox outbox = connection.outbox();
        hub = connection.app().hub();
        text = new TextAssembler(connection.settings().maxMessageBytes());
        binary = new BinaryAssembler(connection.settings().maxMessageBytes());
        subscription = hub.subscribe(TOPIC, new Subscriber() {
            @Override
            public void text(String message) {
                outbox.enqueueText(message);
            }

            @Override
            public void binary(ByteBuffer data) {
                outbox.enqueueBinary(data);
            }

            @Override
            public void flush() {
                outbox.flush();
            }
        });
    }

    @OnMessage
    public void onText(String part, boolean last) {
        if (connection == null) {
            return;
        }
        connection.heard();
        try {
            String message = text.append(part, last);
            if (message != null) {
                hub.publish(TOPIC, message);
            }
        } catch (MessageTooLargeException e) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
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
                hub.publish(TOPIC, message);
            }
        } catch (MessageTooLargeException e) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
        }
    }

    @OnClose
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (connection != null) {
            connection.closed();
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
