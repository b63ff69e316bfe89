package dev.socketworks.chat;

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

/** {@code /chat}: the room "lobby". */
@ServerEndpoint(value = "/chat", subprotocols = {ChatConnection.SUBPROTOCOL, ChatConnection.LEGACY_SUBPROTOCOL},
        configurator = HandshakePolicy.class)
public class LobbyEndpoint {

    private static final Logger LOG = Logger.getLogger(LobbyEndpoint.class.getName());

    private final ChatConnection chat = new ChatConnection();

    @OnOpen
    public void open(Session session) {
        chat.open(session, ChatRooms.LOBBY);
    }

    @OnMessage
    public void onText(String part, boolean last) {
        chat.text(part, last);
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        chat.binary(part, last);
    }

    @OnClose
    public void close(CloseReason reason) {
        chat.closed(reason);
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
