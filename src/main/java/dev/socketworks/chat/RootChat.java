package dev.socketworks.chat;

import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;
import java.util.logging.Logger;

/**
 * The room "lobby" at the WAR's root path, for clients offering {@code beej-chat-protocol},
 * {@code chat.v1} or no subprotocol (the default there). The Node chat demo's unmodified client
 * connects to {@code ws://<host of its page>/}; with Socketworks at the root context and the demo's
 * page on the same host, it lands here. Programmatic, unlike the other chat endpoints: the root path
 * is shared by subprotocol with other services (runtime.RootEndpoint).
 */
final class RootChat extends Endpoint {

    private static final Logger LOG = Logger.getLogger(RootChat.class.getName());

    private final ChatConnection chat = new ChatConnection();

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        chat.open(session, ChatRooms.LOBBY);
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) chat::text);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) chat::binary);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        chat.closed(closeReason);
    }

    @Override
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
