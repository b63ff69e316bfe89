package dev.socketworks.json;

import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

import java.io.StringReader;

/**
 * The one way the JSON services read a client's message. Strict where a parser is lenient, and
 * closed against inputs that make parsers throw something other than JsonException (nesting or
 * numbers past the provider's own limits): every input ends as a value or a {@link Refused} with a
 * code for the client, never an exception and never a stack trace in the log.
 * <ul>
 *   <li>exactly one JSON value: trailing data after it is {@code malformed-json};</li>
 *   <li>nesting at most {@link #MAX_DEPTH} deep and numbers at most {@link #MAX_NUMBER_CHARS}
 *       long: no message of a service needs more, and either costs the parser work;</li>
 *   <li>every string, keys included, well-formed Unicode ({@code invalid-field} otherwise).</li>
 * </ul>
 */
public final class StrictJson {

    public static final int MAX_DEPTH = 16;
    public static final int MAX_NUMBER_CHARS = 64;

    public sealed interface Result permits Parsed, Refused {
    }

    public record Parsed(JsonValue value) implements Result {
    }

    /** Why the input was refused: a code for the client's error message and a sentence. */
    public record Refused(String code, String message) implements Result {
    }

    private static final Refused MALFORMED = new Refused("malformed-json", "message is not valid JSON");

    /**
     * Looked up once. {@code Json.createParser} and {@code Json.createReader} look the provider up on
     * every call (a ServiceLoader scan reading the WAR's jars under one file lock): twice per message,
     * it put every chat message, a flooder's included, behind one lock (request threads were seen
     * waiting on it under attack).
     */
    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private StrictJson() {
    }

    public static Result parse(String text) {
        Refused refused;
        try {
            refused = check(text);
        } catch (RuntimeException anyParserFailure) {
            return MALFORMED;
        }
        if (refused != null) {
            return refused;
        }
        // Checked: the provider's own limits and quirks can no longer be reached.
        try (JsonReader reader = PROVIDER.createReader(new StringReader(text))) {
            return new Parsed(reader.readValue());
        } catch (RuntimeException anyParserFailure) {
            return MALFORMED;
        }
    }

    /** Streams through the input once, before anything is built; null when it is acceptable. */
    private static Refused check(String text) {
        try (JsonParser parser = PROVIDER.createParser(new StringReader(text))) {
            int depth = 0;
            boolean seenValue = false;
            while (parser.hasNext()) {
                if (seenValue && depth == 0) {
                    return MALFORMED; // a second value after the first
                }
                JsonParser.Event event = parser.next();
                switch (event) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            return new Refused("malformed-json", "JSON nested deeper than " + MAX_DEPTH + " levels");
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case KEY_NAME, VALUE_STRING -> {
                        if (!Unicode.isWellFormed(parser.getString())) {
                            return new Refused("invalid-field", "text holds a lone surrogate (\\ud800-\\udfff"
                                    + " not in a pair): not well-formed Unicode");
                        }
                    }
                    case VALUE_NUMBER -> {
                        if (parser.getString().length() > MAX_NUMBER_CHARS) {
                            return new Refused("invalid-field", "a number longer than " + MAX_NUMBER_CHARS + " characters");
                        }
                    }
                    default -> { }
                }
                seenValue = true;
            }
            return seenValue && depth == 0 ? null : MALFORMED;
        }
    }
}
