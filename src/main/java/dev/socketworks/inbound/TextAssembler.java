package dev.socketworks.inbound;

import dev.socketworks.json.Unicode;

/**
 * Joins the parts of one text message, enforcing a limit in UTF-8 bytes. Endpoints take partial
 * messages so that the limit is exact and identical on every container (containers count their
 * buffer sizes differently, some in chars), and so a session costs no big buffer until it is sent a
 * big message. Not thread-safe: containers deliver one session's messages one at a time.
 */
public final class TextAssembler {

    private final long maxBytes;
    private StringBuilder pending;
    private long pendingBytes;
    private long lastMessageBytes;
    // Chars in the last message of several parts: the next one likely has as many, and a builder that
    // size from the start is never regrown (each regrowth copies all that came before).
    private int lastJoinedChars;

    public TextAssembler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @return the whole message when {@code last} is true, else null
     * @throws MessageTooLargeException as soon as the parts so far exceed the limit
     */
    public String append(String part, boolean last) throws MessageTooLargeException {
        pendingBytes += Unicode.utf8Length(part);
        if (pendingBytes > maxBytes) {
            pending = null;
            pendingBytes = 0;
            throw new MessageTooLargeException(maxBytes);
        }
        if (last && pending == null) {
            lastMessageBytes = pendingBytes;
            pendingBytes = 0;
            return part;
        }
        if (pending == null) {
            pending = new StringBuilder(Math.max(part.length() * 2, lastJoinedChars));
        }
        pending.append(part);
        if (!last) {
            return null;
        }
        String message = pending.toString();
        lastJoinedChars = message.length();
        lastMessageBytes = pendingBytes;
        pending = null;
        pendingBytes = 0;
        return message;
    }

    /** The UTF-8 size of the message {@link #append} returned last, counted as its parts came: no need to count again. */
    public long lastMessageBytes() {
        return lastMessageBytes;
    }
}
