package dev.socketworks.inbound;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Joins the parts of one binary message up to a byte limit. Always returns a copy: containers reuse
 * the buffers they pass to {@code @OnMessage}, and the result may be sent later, asynchronously.
 * Not thread-safe: containers deliver one session's messages one at a time.
 */
public final class BinaryAssembler {

    private final long maxBytes;
    private byte[] pending = new byte[0];
    private int pendingLength;
    // Bytes in the last message of several parts: the next one likely has as many, and an array that
    // size from the start is never regrown (each regrowth copies all that came before).
    private int lastJoinedLength;

    public BinaryAssembler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @return the whole message, positioned at 0, when {@code last} is true, else null
     * @throws MessageTooLargeException as soon as the parts so far exceed the limit
     */
    public ByteBuffer append(ByteBuffer part, boolean last) throws MessageTooLargeException {
        int length = part.remaining();
        if ((long) pendingLength + length > maxBytes) {
            pending = new byte[0];
            pendingLength = 0;
            throw new MessageTooLargeException(maxBytes);
        }
        if (last && pendingLength == 0) {
            byte[] whole = new byte[length]; // a message in one part: one copy, no joining
            part.get(whole);
            return ByteBuffer.wrap(whole);
        }
        if (pendingLength == 0 && pending.length < length) {
            pending = new byte[Math.max(length * 2, lastJoinedLength)];
        } else if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + length, pending.length * 2));
        }
        part.get(pending, pendingLength, length);
        pendingLength += length;
        if (!last) {
            return null;
        }
        // The joined array is handed over as it is, not copied again; its spare room after the message stays unused.
        ByteBuffer message = ByteBuffer.wrap(pending, 0, pendingLength).slice();
        lastJoinedLength = pendingLength;
        pending = new byte[0];
        pendingLength = 0;
        return message;
    }
}
