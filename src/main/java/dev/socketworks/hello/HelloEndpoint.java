package dev.socketworks.hello;

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
 * {@code /hello}: the Python websockets lecture's first example. Each text message {@code NAME} is
 * answered with {@code Hello NAME!}; a name the chat would refuse (empty, over 32 characters,
 * control or invisible characters) gets {@code error: ...}, to the sender only, and the connection
 * stays. Node-local: nothing is shared.
 */
@ServerEndpoint(value = "/hello", subprotocols = {"hello.v1"}, configurator = HandshakePolicy.class)
public class HelloEndpoint {

    private static final Logger LOG = Logger.getLogger(HelloEndpoint.class.getName());

    private Connection connection;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
    }

    @OnMessage
    public void onText(String part, boolean last) {
        String message = connection == null ? null : connection.text(part, last);
        if (message != null) {
            connection.outbox().sendText(Greeting.reply(message));
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        if (connection != null && connection.binary(part, last) != null) {
            connection.outbox().sendText("error: send your name as text");
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
