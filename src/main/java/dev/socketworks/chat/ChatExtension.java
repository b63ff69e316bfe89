package dev.socketworks.chat;

import dev.socketworks.config.Settings;
import dev.socketworks.runtime.AppContext;
import dev.socketworks.runtime.Extension;
import dev.socketworks.runtime.RootService;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpointConfig;

import java.time.Instant;
import java.util.List;

/**
 * Chat's part in the deployment's start: the lobby at the root path; with a shared engine, a server that dies leaves its
 * members listed in their rooms; whichever server removes them (any, whether or not chat clients
 * are connected to it) announces each as a chat-leave, as if they had left.
 */
public final class ChatExtension implements Extension {

    @Override
    public List<ServerEndpointConfig> start(Settings settings, ServletContext context) {
        return List.of(); // chat's endpoints are annotated
    }

    /** The lobby at {@code /}: for the chat subprotocols, and for clients offering none. */
    @Override
    public List<RootService> atRoot() {
        return List.of(new RootService("chat lobby", List.of(ChatConnection.SUBPROTOCOL, ChatConnection.LEGACY_SUBPROTOCOL),
                true, List.of("chat-read:" + ChatRooms.LOBBY), RootChat::new));
    }

    @Override
    public void started(AppContext app) {
        app.hub().onOrphans(Room.TOPIC_PREFIX,
                member -> ChatMessages.roomEvent(ChatMessages.LEAVE, member.name(), member.user(), null, Instant.now()));
        RoomsApi.answerOn(app);
    }

    @Override
    public void stop(Settings settings) {
    }
}
