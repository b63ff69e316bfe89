package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;

import java.nio.charset.StandardCharsets;

/** Close reasons that always fit in a close frame. */
public final class CloseReasons {

    /** RFC 6455: a control frame payload is at most 125 bytes, two of which hold the code. */
    static final int MAX_REASON_BYTES = 123;

    private CloseReasons() {
    }

    /** A close reason with {@code text} shortened, on a character boundary, to fit the frame. */
    public static CloseReason of(CloseReason.CloseCode code, String text) {
        return new CloseReason(code, fit(text));
    }

    static String fit(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return text;
        }
        int end = text.length();
        while (text.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
            end = Character.isLowSurrogate(text.charAt(end - 1)) ? end - 2 : end - 1;
        }
        return text.substring(0, end) + "...";
    }
}
