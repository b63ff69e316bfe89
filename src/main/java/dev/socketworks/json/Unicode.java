package dev.socketworks.json;

/**
 * Text checks for strings that came from a client. JSON escapes can carry lone surrogates
 * ({@code "\ud800"}), which no container can encode into a frame: one stored in a room's history
 * would fail the connection of everyone it is sent to. Cuts are made on code point boundaries only.
 */
public final class Unicode {

    private Unicode() {
    }

    /** True when every surrogate in {@code text} is half of a correctly ordered pair. */
    public static boolean isWellFormed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * At most {@code maxCodePoints} code points of {@code text}, followed by "..." when cut, with
     * control characters and lone surrogates shown as '?': safe to quote in a reply or a log line.
     */
    public static String quotable(String text, int maxCodePoints) {
        StringBuilder shown = new StringBuilder(Math.min(text.length(), maxCodePoints * 2 + 3));
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (count++ == maxCodePoints) {
                return shown.append("...").toString();
            }
            boolean unsafe = Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
            if (unsafe) {
                shown.append('?');
            } else {
                shown.appendCodePoint(codePoint);
            }
        }
        return shown.toString();
    }

    /** UTF-8 length without encoding. A surrogate pair counts 2 + 2 = 4 bytes, even split across parts. */
    public static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
