package dev.socketworks.chat;

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
 * A chat room: {@code /chat/{room}}. The Node chat demo's JSON join/message/leave protocol, plus ids,
 * time, presence, history and resume: {@link ChatInput} shows what clients send, {@link ChatMessages}
 * what they receive.
 */
@ServerEndpoint(value = "/chat/{room}", subprotocols = {ChatConnection.SUBPROTOCOL, ChatConnection.LEGACY_SUBPROTOCOL},
        configurator = HandshakePolicy.class)
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    private final ChatConnection chat = new ChatConnection();

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        chat.open(session, room);
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
