package dev.socketworks.chat;

import dev.socketworks.config.Settings;
import dev.socketworks.runtime.AppContext;
import dev.socketworks.runtime.Extension;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpointConfig;

import java.time.Instant;
import java.util.List;

/**
 * Chat's part in the deployment's start: with a shared engine, a server that dies leaves its
 * members listed in their rooms; whichever server removes them (any, whether or not chat clients
 * are connected to it) announces each as a chat-leave, as if they had left.
 */
public final class ChatExtension implements Extension {

    @Override
    public List<ServerEndpointConfig> start(Settings settings, ServletContext context) {
        return List.of(); // chat's endpoints are annotated
    }

    @Override
    public void started(AppContext app) {
        app.hub().onOrphans(Room.TOPIC_PREFIX,
                member -> ChatMessages.roomEvent(ChatMessages.LEAVE, member.name(), null, Instant.now()));
    }

    @Override
    public void stop(Settings settings) {
    }
}
