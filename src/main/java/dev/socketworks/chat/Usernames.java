package dev.socketworks.chat;

import dev.socketworks.json.DisplayNames;

import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Username rules, as pure functions. A name follows {@link DisplayNames} (trimmed, NFC, 1-32 code
 * points, visible, no control or invisible characters, no lookalike script mixes). Names are unique per
 * room on a {@link #key skeleton} that ignores case, compatibility forms, confusable characters and
 * invisible ones; a clash gets a suffix: "Bob (2)".
 */
public final class Usernames {

    public static final int MAX_LENGTH = 32;


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
        DisplayNames.Checked checked = DisplayNames.check(requested, "username", MAX_LENGTH);
        return new Checked(checked.name(), checked.error());
    }

    /** "Guest 3fa2", as the Node demo's client names an anonymous user. */
    public static String guest(RandomGenerator random) {
        return String.format("Guest %04x", random.nextInt(0x10000));
    }

    /** The form under which a name is unique in a room: {@link DisplayNames#skeleton}, so names that look alike are one. */
    public static String key(String name) {
        return DisplayNames.skeleton(name);
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
