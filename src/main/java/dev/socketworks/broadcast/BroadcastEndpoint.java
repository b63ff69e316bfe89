package dev.socketworks.broadcast;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.outbox.CloseReasons;
import jakarta.websocket.CloseReason;
import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Retention;
import dev.socketworks.outbox.OutboxSubscriber;
import dev.socketworks.runtime.Connection;
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
 * received them). The Twisted and Python broadcast demos' clients work as they are. When the shared
 * engine is unreachable, a connecting client, or a sender whose message cannot be relayed, is closed
 * with 1013 "service unavailable".
 */
@ServerEndpoint(value = "/broadcast", subprotocols = {"broadcast.v1"}, configurator = HandshakePolicy.class)
public class BroadcastEndpoint {

    static final String TOPIC = "broadcast";
    private static final Logger LOG = Logger.getLogger(BroadcastEndpoint.class.getName());

    static final CloseReason FORBIDDEN = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY,
            "forbidden: publishing needs the right broadcast:publish");

    private Connection connection;
    private Hub hub;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection != null) {
            hub = connection.app().hub();
            if (connection.may("broadcast:read")) { // a publisher with broadcast:publish only is sent nothing
                connection.keep(() -> hub.subscribe(TOPIC, OutboxSubscriber.verbatim(connection.outbox())));
            }
        }
    }

    @OnMessage
    public void onText(String part, boolean last) {
        String message = connection == null ? null : connection.text(part, last);
        if (message != null) {
            publish(() -> hub.publish(TOPIC, message, Retention.NONE));
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        ByteBuffer message = connection == null ? null : connection.binary(part, last);
        if (message != null) {
            publish(() -> hub.publish(TOPIC, message, Retention.NONE));
        }
    }

    /**
     * The protocol has no error message: a sender whose message cannot be relayed is closed with 1013,
     * one without the right to publish with 1008 "forbidden".
     */
    private void publish(Runnable publication) {
        if (!connection.may("broadcast:publish")) {
            connection.outbox().close(FORBIDDEN);
            return;
        }
        try {
            publication.run();
        } catch (EngineUnavailableException e) {
            connection.closeUnavailable();
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
