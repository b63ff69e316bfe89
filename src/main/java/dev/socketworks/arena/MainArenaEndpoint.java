package dev.socketworks.arena;

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

/** {@code /arena}: the arena "main", with the protocol of {@link ArenaEndpoint}. */
@ServerEndpoint(value = "/arena", subprotocols = {ArenaConnection.SUBPROTOCOL}, configurator = HandshakePolicy.class)
public class MainArenaEndpoint {

    private static final Logger LOG = Logger.getLogger(MainArenaEndpoint.class.getName());

    private final ArenaConnection arena = new ArenaConnection();

    @OnOpen
    public void open(Session session) {
        arena.open(session, Arenas.MAIN);
    }

    @OnMessage
    public void onText(String part, boolean last) {
        arena.text(part, last);
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        arena.binary(part, last);
    }

    @OnClose
    public void close(CloseReason reason) {
        arena.closed(reason);
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
