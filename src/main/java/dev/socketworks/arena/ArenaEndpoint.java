package dev.socketworks.arena;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;
import java.util.logging.Logger;

/**
 * {@code /arena/{name}}: the websocketd talk's game-state replicator. Commands in, one per line
 * ({@code join NAME}, {@code aim DX DY}, {@code target X Y}, {@code boost}, {@code say TEXT},
 * {@code leave}); JSON out, per tick only what changed in the player's view ({@link ArenaMessages}).
 */
@ServerEndpoint(value = "/arena/{name}", subprotocols = {ArenaConnection.SUBPROTOCOL}, configurator = HandshakePolicy.class)
public class ArenaEndpoint {

    private static final Logger LOG = Logger.getLogger(ArenaEndpoint.class.getName());

    private final ArenaConnection arena = new ArenaConnection();

    @OnOpen
    public void open(Session session, @PathParam("name") String name) {
        arena.open(session, name);
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
