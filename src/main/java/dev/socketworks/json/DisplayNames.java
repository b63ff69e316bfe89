package dev.socketworks.json;

import java.text.Normalizer;

/**
 * Names people choose and others see (chat usernames, the greeting's name), as pure functions. A name
 * is trimmed and NFC-normalised, 1 to a maximum of characters (code points), and free of control
 * characters and of every default-ignorable code point (zero-width characters, bidi controls,
 * variation and Mongolian selectors, Hangul fillers, the combining grapheme joiner...), which would
 * let one name look like another; the zero-width joiner and U+FE0F are kept only inside emoji sequences.
 */
public final class DisplayNames {

    private static final int ZERO_WIDTH_JOINER = 0x200D; // holds emoji sequences such as families together
    private static final int EMOJI_PRESENTATION = 0xFE0F;  // "draw the symbol before me as an emoji"

    /** An accepted name, or why the requested one is refused. */
    public record Checked(String name, String error) {
        public boolean isValid() {
            return error == null;
        }
    }

    private DisplayNames() {
    }

    /** Checks {@code requested} (not null); {@code what} names it in the error ("username must be ..."). */
    public static Checked check(String requested, String what, int maxLength) {
        String name = Normalizer.normalize(requested.strip(), Normalizer.Form.NFC);
        if (name.isEmpty() || name.codePointCount(0, name.length()) > maxLength) {
            return new Checked(null, what + " must be 1-" + maxLength + " characters");
        }
        int[] codePoints = name.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            if (isForbidden(codePoints, i)) {
                return new Checked(null, what + " must not contain control or invisible characters");
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
    public static boolean isDefaultIgnorable(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5
                || (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF
                || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3)
                || (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF);
    }

}
