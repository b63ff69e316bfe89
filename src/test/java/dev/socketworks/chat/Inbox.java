package dev.socketworks.chat;

import dev.socketworks.hub.Subscriber;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A subscriber that keeps what it receives, parsed, for assertions on the wire JSON. */
final class Inbox implements Subscriber {

    final List<String> raw = new ArrayList<>();

    @Override
    public synchronized void text(String text) {
        raw.add(text);
    }

    @Override
    public void binary(ByteBuffer data) {
        throw new AssertionError("chat never publishes binary");
    }

    @Override
    public void flush() {
    }

    synchronized List<JsonObject> messages() {
        return raw.stream().map(t -> Json.createReader(new StringReader(t)).readObject()).toList();
    }

    synchronized List<String> types() {
        return messages().stream().map(m -> m.getString("type")).toList();
    }

    /** "type:username[:message]" for each message, compact enough to compare whole conversations. */
    synchronized List<String> summary() {
        return messages().stream().map(m -> {
            JsonObject p = m.getJsonObject("payload");
            String line = m.getString("type") + ":" + p.getString("username", "");
            if (p.containsKey("message")) {
                line += ":" + p.getString("message");
            }
            if (p.containsKey("usernames")) {
                line += ":" + p.getJsonArray("usernames").getValuesAs(jakarta.json.JsonString::getString)
                        .stream().collect(Collectors.joining(","));
            }
            return line;
        }).toList();
    }

    synchronized void clear() {
        raw.clear();
    }

    synchronized long lastId() {
        List<JsonObject> all = messages();
        for (int i = all.size() - 1; i >= 0; i--) {
            JsonObject p = all.get(i).getJsonObject("payload");
            if (p.containsKey("id")) {
                return p.getJsonNumber("id").longValueExact();
            }
        }
        throw new AssertionError("no message with an id in " + raw);
    }
}
