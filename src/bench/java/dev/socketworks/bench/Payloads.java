package dev.socketworks.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages that carry their sequence number up front and a fixed filler after it, so an echo can be
 * checked for order and for every byte without keeping copies of what was sent.
 */
final class Payloads {

    static final int SEQUENCE_CHARS = 12;
    private static final String FILLER = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2048);

    private static final Map<Integer, byte[]> BINARY_TEMPLATES = new ConcurrentHashMap<>();

    private Payloads() {
    }

    static String text(long sequence, int size) {
        String head = String.format("%012d", sequence);
        return head + FILLER.substring(0, size - SEQUENCE_CHARS);
    }

    /** Whether {@code message} is exactly {@code text(sequence, size)}. */
    static boolean isText(String message, long sequence, int size) {
        return message.length() == size
                && message.startsWith(String.format("%012d", sequence))
                && message.regionMatches(SEQUENCE_CHARS, FILLER, 0, size - SEQUENCE_CHARS);
    }

    static byte[] binary(long sequence, int size) {
        byte[] message = new byte[size];
        ByteBuffer.wrap(message).putLong(sequence);
        for (int i = 8; i < size; i++) {
            message[i] = (byte) (i * 31);
        }
        return message;
    }

    static boolean isBinary(byte[] message, long sequence, int size) {
        return message.length == size
                && ByteBuffer.wrap(message).getLong() == sequence
                && Arrays.equals(message, 8, size, BINARY_TEMPLATES.computeIfAbsent(size, n -> binary(0, n)), 8, size);
    }
}
