package dev.socketworks.chat;

import dev.socketworks.json.StrictJson;
import dev.socketworks.json.Unicode;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Parses what chat clients send. Pure: every malformed input becomes an {@link Invalid} with a code,
 * never an exception. Accepted messages:
 * <pre>
 * {"type": "chat-join",    "payload": {"username": "Beej"}}            username optional
 * {"type": "chat-message", "payload": {"username": "Beej", "message": "hi"}}  username optional
 * {"type": "chat-resume",  "payload": {"room": "lobby", "afterId": 1234}}
 * </pre>
 */
public final class ChatInput {

    public sealed interface Command permits Join, Say, Resume, Refresh, Invalid {
    }

    /** {@code username} is null when the client sent none. */
    public record Join(String username) implements Command {
    }

    /** {@code claimedUsername} is what the client put in the message, null when none. */
    public record Say(String claimedUsername, String message) implements Command {
    }

    public record Resume(String room, long afterId) implements Command {
    }

    /** An in-band token refresh: {"type": "refresh", "payload": {"token": "..."}}. */
    public record Refresh(String token) implements Command {
    }

    public record Invalid(String code, String message) implements Command {
    }

    private static final String TYPES = "chat-join, chat-message, chat-resume or refresh";

    private ChatInput() {
    }

    public static Command parse(String text) {
        StrictJson.Result result = StrictJson.parse(text);
        if (result instanceof StrictJson.Refused refused) {
            return new Invalid(refused.code(), refused.message());
        }
        JsonValue value = ((StrictJson.Parsed) result).value();
        if (!(value instanceof JsonObject message) || !(message.get("type") instanceof JsonString type)) {
            return new Invalid("invalid-message", "expected {\"type\": \"...\", \"payload\": {...}}");
        }
        JsonValue payloadValue = message.getOrDefault("payload", JsonValue.NULL);
        JsonObject payload;
        if (payloadValue instanceof JsonObject object) {
            payload = object;
        } else if (payloadValue == JsonValue.NULL) {
            payload = JsonValue.EMPTY_JSON_OBJECT;
        } else {
            return new Invalid("invalid-field", "payload must be an object");
        }
        try {
            return switch (type.getString()) {
                case "chat-join" -> new Join(optionalString(payload, "username"));
                case "chat-message" -> new Say(optionalString(payload, "username"), requiredString(payload, "message"));
                case "chat-resume" -> new Resume(requiredString(payload, "room"), afterId(payload));
                case "refresh" -> new Refresh(requiredString(payload, "token"));
                default -> new Invalid("unknown-type", "unknown type '" + printable(type.getString()) + "'; expected " + TYPES);
            };
        } catch (FieldException e) {
            return new Invalid("invalid-field", e.getMessage());
        }
    }

    private static String optionalString(JsonObject payload, String field) {
        JsonValue value = payload.getOrDefault(field, JsonValue.NULL);
        if (value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw new FieldException(field + " must be a string");
    }

    private static String requiredString(JsonObject payload, String field) {
        String value = optionalString(payload, field);
        if (value == null) {
            throw new FieldException(field + " is required (a string)");
        }
        return value;
    }

    private static long afterId(JsonObject payload) {
        if (payload.get("afterId") instanceof JsonNumber number && number.isIntegral()) {
            try {
                long id = number.longValueExact();
                if (id >= 0) {
                    return id;
                }
            } catch (ArithmeticException e) {
                // falls through to the error below
            }
        }
        throw new FieldException("afterId is required: the id of the last message you received (a whole number >= 0)");
    }

    /** A type echoed back in an error is shortened, on a code point boundary, and stripped of control characters. */
    private static String printable(String text) {
        return Unicode.quotable(text, 40);
    }

    /** Carries a field error out of the switch; never leaves this class. */
    private static final class FieldException extends RuntimeException {
        FieldException(String message) {
            super(message, null, false, false);
        }
    }
}
