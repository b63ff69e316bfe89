package dev.socketworks.totals;

import dev.socketworks.json.StrictJson;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;

/** Parses what producers send. Pure functions: every malformed input gets an error, never an exception. */
public final class TotalsInput {

    /** A parsed number, a token to refresh with (JSON mode), or an error with a code for the JSON mode and a message. */
    public record Parsed(long amount, String refreshToken, String errorCode, String errorMessage) {
        static Parsed ok(long amount) {
            return new Parsed(amount, null, null, null);
        }

        static Parsed refresh(String token) {
            return new Parsed(0, token, null, null);
        }

        static Parsed error(String code, String message) {
            return new Parsed(0, null, code, message);
        }

        public boolean isError() {
            return errorCode != null;
        }
    }

    private TotalsInput() {
    }

    /** Text mode: "5", "-3", " 12 " (surrounding whitespace ignored). */
    public static Parsed text(String message) {
        try {
            return Parsed.ok(Long.parseLong(message.strip()));
        } catch (NumberFormatException e) {
            return Parsed.error("not-a-number", "cannot process input");
        }
    }

    /**
     * JSON mode: <code>{"add": 5}</code>, a whole number within 64 bits, or an in-band token refresh:
     * <code>{"type": "refresh", "payload": {"token": "..."}}</code>.
     */
    public static Parsed json(String message) {
        StrictJson.Result result = StrictJson.parse(message);
        if (result instanceof StrictJson.Refused refused) {
            return Parsed.error(refused.code(), refused.message());
        }
        JsonValue value = ((StrictJson.Parsed) result).value();
        if (value instanceof JsonObject object && object.containsKey("type")) {
            return refresh(object);
        }
        if (!(value instanceof JsonObject object) || !object.containsKey("add")) {
            return Parsed.error("invalid-message", "expected {\"add\": <whole number>}");
        }
        if (!(object.get("add") instanceof JsonNumber number)) {
            return Parsed.error("invalid-field", "add must be a whole number");
        }
        // Cheap checks first: 1e1000000 or 1e-1000000 must not make the server compute huge numbers.
        BigDecimal decimal = number.bigDecimalValue().stripTrailingZeros();
        if (decimal.scale() > 0) {
            return Parsed.error("invalid-field", "add must be a whole number"); // 2.5; but 2.0 is whole
        }
        if (decimal.precision() - decimal.scale() > 19) {
            return Parsed.error("invalid-field", "add must fit in 64 bits");
        }
        try {
            return Parsed.ok(decimal.longValueExact());
        } catch (ArithmeticException e) {
            return Parsed.error("invalid-field", "add must fit in 64 bits");
        }
    }

    private static Parsed refresh(JsonObject message) {
        if (!(message.get("type") instanceof JsonString type) || !type.getString().equals("refresh")) {
            return Parsed.error("invalid-message", "expected {\"add\": <whole number>} or {\"type\": \"refresh\", \"payload\": {\"token\": \"...\"}}");
        }
        if (!(message.get("payload") instanceof JsonObject payload) || !(payload.get("token") instanceof JsonString token)) {
            return Parsed.error("invalid-field", "refresh needs payload.token, a string");
        }
        return Parsed.refresh(token.getString());
    }
}
