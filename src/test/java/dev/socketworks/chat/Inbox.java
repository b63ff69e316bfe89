package dev.socketworks.chat;

import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.testing.ChatSummary;
import dev.socketworks.testing.FakeSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a chat client received, parsed, for assertions on the wire JSON: either as a room subscriber
 * (rendering each publication as a member's outbox would) or as a view of a fake session.
 */
final class Inbox implements Subscriber {

    private final List<String> own = Collections.synchronizedList(new ArrayList<>());
    private final Supplier<List<String>> source;
    private int clearedUpTo;

    /** A subscriber of its own. */
    Inbox() {
        this.source = () -> List.copyOf(own);
    }

    private Inbox(Supplier<List<String>> source) {
        this.source = source;
    }

    /** What the session's client received, of the types {@code shown} accepts. */
    static Inbox of(FakeSession session, java.util.function.Predicate<String> shown) {
        return new Inbox(() -> session.texts().stream()
                .filter(t -> shown.test(Json.createReader(new StringReader(t)).readObject().getString("type"))).toList());
    }

    @Override
    public void deliver(Message message) {
        own.addAll(ChatMessages.RENDER.apply(message));
    }

    @Override
    public void flush() {
    }

    /** The texts received since the last {@link #clear}. */
    synchronized List<String> raw() {
        List<String> all = source.get();
        return all.subList(Math.min(clearedUpTo, all.size()), all.size());
    }

    synchronized List<JsonObject> messages() {
        return raw().stream().map(t -> Json.createReader(new StringReader(t)).readObject()).toList();
    }

    synchronized List<String> types() {
        return messages().stream().map(m -> m.getString("type")).toList();
    }

    /** Each message as {@link ChatSummary#of}. */
    synchronized List<String> summary() {
        return messages().stream().map(ChatSummary::of).toList();
    }

    synchronized void clear() {
        clearedUpTo = source.get().size();
    }

    synchronized long lastId() {
        List<JsonObject> all = messages();
        for (int i = all.size() - 1; i >= 0; i--) {
            JsonObject p = all.get(i).getJsonObject("payload");
            if (p.containsKey("id")) {
                return p.getJsonNumber("id").longValueExact();
            }
        }
        throw new AssertionError("no message with an id in " + raw());
    }
}
