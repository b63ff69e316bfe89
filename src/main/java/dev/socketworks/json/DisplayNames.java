package dev.socketworks.json;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

import java.util.Locale;

/**
 * Names people choose and others see (chat usernames, the greeting's name, arena players), as pure
 * functions, on Unicode's own data (ICU4J) rather than hand-kept ranges. A name is trimmed and
 * NFC-normalised, 1 to a maximum of characters (code points); it has no control, format, unassigned,
 * private-use or default-ignorable code point (the zero-width joiner and U+FE0F only inside emoji
 * sequences); every combining mark sits on a base character, at most {@value #MAX_MARKS_PER_BASE} on
 * one; it looks like something (its UTS #39 skeleton is not blank, and it does not begin or end with a
 * character that looks like a space, such as U+2800); and it passes UTS #39's moderately restrictive
 * level (no Latin mixed with Cyrillic or Greek), mixed-digits and invisible-mark checks.
 *
 * <p>Every input is first bounded by its length in chars, which costs nothing: normalisation and
 * skeletons cost more than linear time on some inputs (the JDK's and ICU's normalisers are quadratic on
 * a run of combining marks in reverse canonical order), so a client's megabyte never reaches them.
 */
public final class DisplayNames {

    /**
     * Input chars allowed per character of a name, before normalisation: NFC makes one character of
     * a base and its marks or of a Hangul syllable's jamo (at most a few code points, each at most two
     * chars). An input longer than this could never become a valid name.
     */
    public static final int MAX_CHARS_PER_CHARACTER = 8;
    /** Marks one character may carry: enough for any script's stacking, not for "Zalgo" text that covers its neighbours. */
    static final int MAX_MARKS_PER_BASE = 4;

    private static final int ZERO_WIDTH_JOINER = 0x200D; // holds emoji sequences such as families together
    private static final int EMOJI_PRESENTATION = 0xFE0F;  // "draw the symbol before me as an emoji"

    /** Built on first use (about a second: ICU loads its confusables data), or at deployment by {@link #load}. */
    private static final class Unicode39 {
        static final SpoofChecker CHECKER = new SpoofChecker.Builder()
                .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
                .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS | SpoofChecker.INVISIBLE)
                .build();
        static final Normalizer2 NFC = Normalizer2.getNFCInstance();
        static final Normalizer2 NFKC = Normalizer2.getNFKCInstance();
    }

    /** An accepted name, or why the requested one is refused. */
    public record Checked(String name, String error) {
        public boolean isValid() {
            return error == null;
        }
    }

    private DisplayNames() {
    }

    /** Loads Unicode's data now (at deployment) so that the first client to send a name does not wait for it. */
    public static void load() {
        Unicode39.CHECKER.getSkeleton("x");
    }

    /** Whether {@code text} is too long ever to normalise into a name of {@code maxLength} characters: check this before anything costly. */
    public static boolean tooLongForAName(String text, int maxLength) {
        return text.length() > (long) maxLength * MAX_CHARS_PER_CHARACTER;
    }

    /** NFC of a text already bounded by {@link #tooLongForAName}. */
    public static String nfc(String boundedText) {
        return Unicode39.NFC.normalize(boundedText);
    }

    /** Checks {@code requested} (not null); {@code what} names it in the error ("username must be ..."). */
    public static Checked check(String requested, String what, int maxLength) {
        String lengthError = what + " must be 1-" + maxLength + " characters";
        if (tooLongForAName(requested, maxLength)) {
            return new Checked(null, lengthError);
        }
        String name = nfc(requested.strip());
        if (name.isEmpty() || name.codePointCount(0, name.length()) > maxLength) {
            return new Checked(null, lengthError);
        }
        int[] codePoints = name.codePoints().toArray();
        int marks = 0;
        for (int i = 0; i < codePoints.length; i++) {
            if (isForbidden(codePoints, i)) {
                return new Checked(null, what + " must not contain control or invisible characters");
            }
            if (isMark(codePoints[i])) {
                if (i == 0 || !isBase(codePoints[i - 1]) && !isMark(codePoints[i - 1])) {
                    return new Checked(null, what + " must not have a combining mark without a letter or symbol under it");
                }
                if (++marks > MAX_MARKS_PER_BASE) {
                    return new Checked(null, what + " must not stack more than " + MAX_MARKS_PER_BASE + " marks on one character");
                }
            } else {
                marks = 0;
            }
        }
        String skeleton = Unicode39.CHECKER.getSkeleton(name);
        if (skeleton.isBlank()) {
            return new Checked(null, what + " must contain a visible character");
        }
        if (isBlankLooking(skeleton.codePointAt(0)) || isBlankLooking(skeleton.codePointBefore(skeleton.length()))) {
            return new Checked(null, what + " must not begin or end with a character that looks like a space");
        }
        SpoofChecker.CheckResult result = new SpoofChecker.CheckResult();
        if (Unicode39.CHECKER.failsChecks(name, result)) {
            if ((result.checks & SpoofChecker.RESTRICTION_LEVEL) != 0) {
                return new Checked(null, what + " must not mix scripts that look alike, such as Latin with Cyrillic or Greek");
            }
            if ((result.checks & SpoofChecker.MIXED_NUMBERS) != 0) {
                return new Checked(null, what + " must not mix digits of different scripts");
            }
            return new Checked(null, what + " must not repeat an invisible mark");
        }
        return new Checked(name, null);
    }

    /**
     * The form under which two names look the same, for uniqueness: NFKC ("ｂｏｂ" is "bob"), UTS #39's
     * confusable skeleton ("Bоb" with a Cyrillic o, "BobI" and "Bobl" are one), case folded ("BOB" and
     * "bob", "ß" and "ss"), default-ignorable code points removed and runs of blank-looking characters made
     * one space. For names that passed {@link #check} (bounded): it is not linear in its input.
     */
    public static String skeleton(String name) {
        SpoofChecker checker = Unicode39.CHECKER;
        String folded = UCharacter.foldCase(checker.getSkeleton(Unicode39.NFKC.normalize(name)), true);
        String skeleton = checker.getSkeleton(folded);
        StringBuilder key = new StringBuilder(skeleton.length());
        boolean blank = false;
        for (int i = 0; i < skeleton.length(); ) {
            int c = skeleton.codePointAt(i);
            i += Character.charCount(c);
            if (isDefaultIgnorable(c)) {
                continue;
            }
            if (isBlankLooking(c)) {
                blank = true;
                continue;
            }
            if (blank && !key.isEmpty()) {
                key.append(' ');
            }
            blank = false;
            key.appendCodePoint(c);
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isForbidden(int[] codePoints, int i) {
        int codePoint = codePoints[i];
        if (codePoint == ZERO_WIDTH_JOINER) {
            return !(i > 0 && isEmojiPart(codePoints[i - 1]) && i + 1 < codePoints.length
                    && isEmojiPart(codePoints[i + 1]));
        }
        if (codePoint == EMOJI_PRESENTATION) {
            return !(i > 0 && UCharacter.getType(codePoints[i - 1]) == UCharacter.OTHER_SYMBOL);
        }
        if (isDefaultIgnorable(codePoint)) {
            return true;
        }
        return switch (UCharacter.getType(codePoint)) {
            case UCharacter.CONTROL, UCharacter.LINE_SEPARATOR, UCharacter.PARAGRAPH_SEPARATOR, UCharacter.SURROGATE,
                 UCharacter.UNASSIGNED, UCharacter.PRIVATE_USE, UCharacter.FORMAT -> true;
            default -> false;
        };
    }

    private static boolean isMark(int codePoint) {
        int type = UCharacter.getType(codePoint);
        return type == UCharacter.NON_SPACING_MARK || type == UCharacter.COMBINING_SPACING_MARK
                || type == UCharacter.ENCLOSING_MARK;
    }

    /** What a mark may sit on: a visible character, not a space or another mark. */
    private static boolean isBase(int codePoint) {
        return !isMark(codePoint) && !isBlankLooking(codePoint);
    }

    private static boolean isBlankLooking(int codePoint) {
        return UCharacter.hasBinaryProperty(codePoint, UProperty.WHITE_SPACE) || codePoint == ' ';
    }

    /** Emoji and what joins onto them: symbols (So), skin tone modifiers and U+FE0F. */
    private static boolean isEmojiPart(int codePoint) {
        return UCharacter.getType(codePoint) == UCharacter.OTHER_SYMBOL
                || UCharacter.hasBinaryProperty(codePoint, UProperty.EMOJI_MODIFIER) || codePoint == EMOJI_PRESENTATION;
    }

    /** Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt). */
    public static boolean isDefaultIgnorable(int codePoint) {
        return UCharacter.hasBinaryProperty(codePoint, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
    }
}
