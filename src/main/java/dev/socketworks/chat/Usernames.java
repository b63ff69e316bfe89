package dev.socketworks.chat;

import java.text.Normalizer;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Username rules, as pure functions. A name is trimmed and NFC-normalised, 1-32 characters (code
 * points), and free of control characters and of every default-ignorable code point (zero-width
 * characters, bidi controls, variation and Mongolian selectors, Hangul fillers, the combining
 * grapheme joiner...), which would let one user look like another; the zero-width joiner and
 * U+FE0F are kept only inside emoji sequences. Names are unique per room on a {@link #key skeleton}
 * that ignores case, compatibility forms and invisible characters; a clash gets a suffix: "Bob (2)".
 */
public final class Usernames {

    public static final int MAX_LENGTH = 32;

    private static final int ZERO_WIDTH_JOINER = 0x200D; // holds emoji sequences such as families together
    private static final int EMOJI_PRESENTATION = 0xFE0F;  // "draw the symbol before me as an emoji"

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
        int[] codePoints = name.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            if (isForbidden(codePoints, i)) {
                return new Checked(null, "username must not contain control or invisible characters");
            }
        }
        return new Checked(name, null);
    }

    private static boolean isForbidden(int[] codePoints, int i) {
        int codePoint = codePoints[i];
        if (codePoint == ZERO_WIDTH_JOINER) {
            return !(i > 0 && isEmojiPart(codePoints[i - 1]) && i + 1 < codePoints.length
                    && isEmojiPart(codePoints[i + 1]));
        }
        if (codePoint == EMOJI_PRESENTATION) {
            return !(i > 0 && Character.getType(codePoints[i - 1]) == Character.OTHER_SYMBOL);
        }
        if (isDefaultIgnorable(codePoint)) {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                 Character.UNASSIGNED, Character.PRIVATE_USE, Character.FORMAT -> true;
            default -> false;
        };
    }

    /** Emoji and what joins onto them: symbols (So), skin tone modifiers and U+FE0F. */
    private static boolean isEmojiPart(int codePoint) {
        return Character.getType(codePoint) == Character.OTHER_SYMBOL
                || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF) || codePoint == EMOJI_PRESENTATION;
    }

    /** Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt), which Java lacks. */
    static boolean isDefaultIgnorable(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5
                || (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF
                || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3)
                || (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF);
    }

    /** "Guest 3fa2", as the Node demo's client names an anonymous user. */
    public static String guest(RandomGenerator random) {
        return String.format("Guest %04x", random.nextInt(0x10000));
    }

    /**
     * The skeleton under which a name is unique in a room: NFKC ("ｂｏｂ" and "bob" are one), case
     * folded ("BOB", "bob", "ß" and "ss" are one), default-ignorable code points removed (a joiner or
     * selector between letters changes nothing on screen) and runs of spaces made one.
     */
    public static String key(String name) {
        String compatible = Normalizer.normalize(name, Normalizer.Form.NFKC);
        StringBuilder visible = new StringBuilder(compatible.length());
        compatible.codePoints().filter(c -> !isDefaultIgnorable(c)).forEach(visible::appendCodePoint);
        String folded = visible.toString().toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(folded, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ");
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
