package dev.socketworks.chat;

import dev.socketworks.json.Unicode;

/**
 * A chat message's text as a room keeps it (CRLF as LF, stripped), or why it is refused: over the
 * room's limit in bytes of UTF-8 (the unit it costs in every recipient's queue and in history), or
 * holding control characters other than newline and tab. A member's messages and the API's alike.
 */
record CheckedText(String text, String code, String message) {

    static CheckedText of(String raw, long maxBytes) {
        String text = raw.replace("\r\n", "\n").strip();
        long bytes = Unicode.utf8Length(text);
        if (bytes > maxBytes) {
            return new CheckedText(null, "message-too-long", "message has " + bytes + " bytes (UTF-8); the limit is " + maxBytes);
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7F)) {
            return new CheckedText(null, "invalid-field", "message must not contain control characters other than newline and tab");
        }
        return new CheckedText(text, null, null);
    }
}
