package dev.socketworks.testing;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.stream.Collectors;

/** One chat message in a line, compact enough to compare whole conversations in assertions. */
public final class ChatSummary {

    private ChatSummary() {
    }

    /** "type:username[:message][:presence list]", or "error:code" for errors. */
    public static String of(JsonObject message) {
        JsonObject p = message.getJsonObject("payload");
        String type = message.getString("type");
        if (type.equals("error")) {
            return "error:" + p.getString("code");
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
