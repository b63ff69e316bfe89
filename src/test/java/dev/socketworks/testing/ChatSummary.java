package dev.socketworks.testing;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.stream.Collectors;

/** One chat message in a line, compact enough to compare whole conversations in assertions. */
public final class ChatSummary {

    private ChatSummary() {
    }

    /**
     * "type:username[:message][:presence list]", "error:code" for errors, "chat-presence-diff:+A,+B,-C"
     * for coalesced changes (joins, then leaves).
     */
    public static String of(JsonObject message) {
        JsonObject p = message.getJsonObject("payload");
        String type = message.getString("type");
        if (type.equals("error")) {
            return "error:" + p.getString("code");
        }
        if (type.equals("chat-presence-diff")) {
            return type + ":" + java.util.stream.Stream.concat(
                    p.getJsonArray("joins").getValuesAs(JsonObject.class).stream().map(j -> "+" + j.getString("username")),
                    p.getJsonArray("leaves").getValuesAs(JsonObject.class).stream().map(j -> "-" + j.getString("username")))
                    .collect(Collectors.joining(","));
        }
        String line = type + ":" + p.getString("username", "");
        if (p.containsKey("message")) {
            line += ":" + p.getString("message");
        }
        if (p.containsKey("usernames")) {
            line += ":" + p.getJsonArray("usernames").getValuesAs(JsonString::getString).stream()
                    .collect(Collectors.joining(","));
        }
        return line;
    }
}
