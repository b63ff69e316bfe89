package dev.socketworks.chat;

import dev.socketworks.handshake.HandshakePolicy;
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
 * The room "lobby" at the WAR's root path. The Node chat demo's unmodified client connects to
 * {@code ws://<host of its page>/}; with Socketworks deployed at the root context and the demo's page
 * served from the same host, it lands here. Only WebSocket upgrades reach it: a plain GET of the
 * root still gets the start page.
 */
@ServerEndpoint(value = "/", subprotocols = {ChatConnection.SUBPROTOCOL, ChatConnection.LEGACY_SUBPROTOCOL},
        configurator = HandshakePolicy.class)
public class RootChatEndpoint {

    private static final Logger LOG = Logger.getLogger(RootChatEndpoint.class.getName());

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
    public void close() {
        chat.closed();
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
