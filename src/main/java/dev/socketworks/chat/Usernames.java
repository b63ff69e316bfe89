package dev.socketworks.chat;

import java.text.Normalizer;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Username rules, as pure functions. A name is trimmed and NFC-normalised, 1-32 characters (code
 * points), and free of control and invisible formatting characters: a bidi override or a zero-width
 * space would let one user look like another. Names are unique per room, ignoring case ("bob"
 * would pass for "Bob" on screen); a clash gets a suffix: "Bob (2)".
 */
public final class Usernames {

    public static final int MAX_LENGTH = 32;

    private static final int ZERO_WIDTH_JOINER = 0x200D; // holds emoji sequences such as families together

    /** An accepted name, or why the requested one is refused. */
    public record Checked(String name, String error) {
        public boolean isValid() {
            return error == null;
        }
    }

    private Usernames() {
    }

    /**
     * Checks a requested name. {@code null} or blank gives {@code name == null}: the room then
     * assigns a guest name.
     */
    public static Checked check(String requested) {
        if (requested == null || requested.isBlank()) {
            return new Checked(null, null);
        }
        String name = Normalizer.normalize(requested.strip(), Normalizer.Form.NFC);
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return new Checked(null, "username must be 1-" + MAX_LENGTH + " characters");
        }
        if (name.codePoints().anyMatch(Usernames::isForbidden)) {
            return new Checked(null, "username must not contain control or invisible formatting characters");
        }
        return new Checked(name, null);
    }

    private static boolean isForbidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                 Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            case Character.FORMAT -> codePoint != ZERO_WIDTH_JOINER;
            default -> false;
        };
    }

    /** "Guest 3fa2", as the Node demo's client names an anonymous user. */
    public static String guest(RandomGenerator random) {
        return String.format("Guest %04x", random.nextInt(0x10000));
    }

    /** The key under which a name is unique in a room. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code name}, or "name (2)", "name (3)"... the first whose key is not taken; the base is
     * shortened when needed so the result stays within {@link #MAX_LENGTH}.
     */
    public static String unique(String name, Predicate<String> keyTaken) {
        if (!keyTaken.test(key(name))) {
            return name;
        }
        for (int n = 2; ; n++) {
            String suffix = " (" + n + ")";
            String base = name;
            int room = MAX_LENGTH - suffix.length();
            if (base.codePointCount(0, base.length()) > room) {
                base = base.substring(0, base.offsetByCodePoints(0, room)).strip();
            }
            String candidate = base + suffix;
            if (!keyTaken.test(key(candidate))) {
                return candidate;
            }
        }
    }
}
