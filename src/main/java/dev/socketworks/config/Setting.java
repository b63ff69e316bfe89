package dev.socketworks.config;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * One named setting. Its value is looked up, first found wins, as the system property
 * {@code socketworks.<name>}, the environment variable {@code SOCKETWORKS_<NAME_IN_SNAKE_CASE>},
 * the context parameter {@code socketworks.<name>} in WEB-INF/web.xml, then {@link #defaultValue()}.
 *
 * @param name         camelCase name, e.g. {@code allowedOrigins}
 * @param defaultValue the text used when no source sets it
 * @param parser       turns the text into a value, throwing IllegalArgumentException with a reason
 * @param why          one line shown in the README and in error messages: why this limit exists
 */
public record Setting<T>(String name, String defaultValue, Function<String, T> parser, String why) {

    public String propertyName() {
        return "socketworks." + name;
    }

    /** A setting named like {@code tokenSecret} is never shown: not in the deployment log, not in an error. */
    public boolean secret() {
        return name.endsWith("Secret");
    }

    public String environmentName() {
        return "SOCKETWORKS_" + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** Parses {@code text} taken from {@code source}; a bad value becomes an error naming both. */
    public T parse(String text, String source) {
        return interpret(text, source, parser);
    }

    /** As {@link #parse}, with the grammar of the layer that reads the value. */
    <R> R interpret(String text, String source, Function<String, R> grammar) {
        try {
            return grammar.apply(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("Invalid setting " + propertyName() + " (from " + source + "): '"
                    + (secret() ? "***" : printable(text)) + "': " + e.getMessage() + ". It exists because " + why);
        }
    }

    /**
     * The text as logs may show it: the secret of a URI's user info becomes ***
     * (redis://user:secret@host, and redis://secret@host, where Redis clients read a password).
     */
    public static String printable(String text) {
        int scheme = text.indexOf("://");
        if (scheme < 0) {
            return text;
        }
        int start = scheme + 3;
        int slash = text.indexOf('/', start);
        int at = text.lastIndexOf('@', slash < 0 ? text.length() : slash);
        if (at < start) {
            return text;
        }
        String userInfo = text.substring(start, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
        return text.substring(0, start) + shown + text.substring(at);
    }

    public static long positiveLong(String text, long max) {
        return longBetween(text, 1, max);
    }

    public static long longBetween(String text, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * A byte count, or a percentage of this JVM's maximum heap ("10%"), so a default can scale with
     * the memory the operator gave the server.
     */
    public static long bytesOrHeapPercent(String text, long max) {
        if (text.endsWith("%")) {
            long percent = longBetween(text.substring(0, text.length() - 1).strip(), 1, 90);
            return Math.max(1, Runtime.getRuntime().maxMemory() / 100 * percent);
        }
        return positiveLong(text, max);
    }

    /** IP addresses, separated by commas or spaces, as the container reports a peer's address. */
    public static Set<String> addressList(String text) {
        Set<String> addresses = new LinkedHashSet<>();
        for (String entry : text.strip().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (!entry.matches("[0-9.]+|[0-9a-fA-F:.]+") || !entry.matches(".*[.:].*")) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address");
            }
            addresses.add(entry.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(addresses);
    }

    /** Entries separated by commas or spaces, normalized to "a,b"; their grammar is the reader's. */
    public static String list(String text) {
        return String.join(",", text.strip().split("[,\\s]+"));
    }

    public static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }
}
