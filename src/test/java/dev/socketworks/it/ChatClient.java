package dev.socketworks.it;

import dev.socketworks.testing.ChatSummary;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.glassfish.tyrus.client.ClientManager;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat test client: sends the wire JSON and reads the server's messages as compact summaries. */
final class ChatClient implements AutoCloseable {

    final TestClient socket;
    /** The names the server said this connection joined under (chat-joined), kept apart from room traffic. */
    final List<String> joinedAs = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ChatClient(TestClient socket) {
        this.socket = socket;
    }

    static ChatClient connect(ClientManager client, URI uri, String subprotocol) throws Exception {
        return connect(client, uri, List.of(subprotocol));
    }

    /** Offering several subprotocol entries: a bearer token beside the real one. */
    static ChatClient connect(ClientManager client, URI uri, List<String> subprotocols) throws Exception {
        return new ChatClient(TestClient.connect(client, uri, null, subprotocols));
    }

    /** Connects as if from {@code address}, for a deployment that trusts 127.0.0.1 as a proxy. */
    static ChatClient connectFrom(ClientManager client, URI uri, String subprotocol, String address) throws Exception {
        return new ChatClient(TestClient.connectWithHeaders(client, uri,
                java.util.Map.of("X-Forwarded-For", List.of(address)), List.of(subprotocol)));
    }

    ChatClient send(String json) throws IOException {
        socket.session().getBasicRemote().sendText(json);
        return this;
    }

    ChatClient join(String username) throws IOException {
        return send("{\"type\":\"chat-join\",\"payload\":{\"username\":" + Json.createValue(username) + "}}");
    }

    ChatClient say(String username, String message) throws IOException {
        return send("{\"type\":\"chat-message\",\"payload\":{\"username\":" + Json.createValue(username)
                + ",\"message\":" + Json.createValue(message) + "}}");
    }

    /** The next message other than chat-joined (those are recorded in {@link #joinedAs}). */
    JsonObject next() throws InterruptedException {
        return next(TestClient.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    /** As {@link #next()}, waiting up to {@code timeout}. */
    JsonObject next(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        while (true) {
            JsonObject message = Json.createReader(new StringReader(
                    socket.nextText(java.time.Duration.ofNanos(unit.toNanos(timeout))))).readObject();
            if (!message.getString("type").equals("chat-joined")) {
                return message;
            }
            joinedAs.add(message.getJsonObject("payload").getString("username"));
        }
    }

    /**
     * Reads until the member list this client keeps, as chat.html keeps it (chat-presence, then
     * chat-join, chat-leave and chat-presence-diff), names exactly {@code room}; other messages pass.
     */
    void awaitMembers(java.util.Collection<String> room) throws InterruptedException {
        java.util.Set<String> wanted = new java.util.HashSet<>(room);
        java.util.Set<String> kept = new java.util.HashSet<>();
        while (!kept.equals(wanted)) {
            JsonObject message = next();
            JsonObject payload = message.getJsonObject("payload");
            switch (message.getString("type")) {
                case "chat-presence" -> {
                    kept.clear();
                    kept.addAll(payload.getJsonArray("usernames").getValuesAs(jakarta.json.JsonString::getString));
                    assertThat(payload.getInt("count")).as("a list this short names every member").isEqualTo(kept.size());
                }
                case "chat-join" -> kept.add(payload.getString("username"));
                case "chat-leave" -> kept.remove(payload.getString("username"));
                case "chat-presence-diff" -> {
                    payload.getJsonArray("leaves").getValuesAs(JsonObject.class).forEach(c -> kept.remove(c.getString("username")));
                    payload.getJsonArray("joins").getValuesAs(JsonObject.class).forEach(c -> kept.add(c.getString("username")));
                }
                default -> { }
            }
        }
    }

    static String summary(JsonObject message) {
        return ChatSummary.of(message);
    }

    String nextSummary() throws InterruptedException {
        return summary(next());
    }

    /** Reads {@code count} messages and checks their summaries. */
    void expect(String... summaries) throws InterruptedException {
        for (String expected : summaries) {
            assertThat(nextSummary()).isEqualTo(expected);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
