package dev.socketworks.json;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** The deployment's JSON-B instance (thread-safe; building one per message would be slow). */
public final class JsonMessages {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private JsonMessages() {
    }

    public static String toJson(Object value) {
        return JSONB.toJson(value);
    }

    /** For JSON this server wrote itself (a hub payload); client input goes through {@link StrictJson}. */
    public static <T> T fromJson(String json, Class<T> type) {
        return JSONB.fromJson(json, type);
    }
}
