package dev.socketworks.bridge;

import dev.socketworks.outbox.Outbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Carries what a program (or TCP service) writes to its client, on a thread of its own. Each message
 * waits for room in the client's outbox before the next read, so a client that reads slowly slows
 * the program down through its full pipe instead of making the server buffer its output: websocketd
 * reads on regardless and deadlocks when 64 x 16 KiB are in flight through cat.
 */
final class OutputPump {

    /** How much one read takes in binary mode; each read becomes one message (pipes keep no boundaries). */
    static final int BINARY_CHUNK_BYTES = 32 * 1024;

    enum End {
        /** The program closed its output (usually: it exited). */
        END_OF_OUTPUT,
        /** The client's outbox closed; what the program still writes was read and dropped. */
        CLIENT_GONE,
        /** A text line was longer than the message limit; reading stopped. */
        LINE_TOO_LONG
    }

    private OutputPump() {
    }

    static End pump(InputStream in, Route.Mode mode, Outbox outbox, long maxLineBytes)
            throws IOException, InterruptedException {
        End end = mode == Route.Mode.TEXT ? lines(in, outbox, maxLineBytes) : chunks(in, outbox);
        if (end == End.CLIENT_GONE) {
            // Keep the pipe flowing so the program sees its stdin close and can end by itself,
            // instead of blocking on a full stdout until it is killed.
            in.transferTo(OutputStream.nullOutputStream());
        }
        return end;
    }

    private static End chunks(InputStream in, Outbox outbox) throws IOException, InterruptedException {
        byte[] buffer = new byte[BINARY_CHUNK_BYTES];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (n > 0 && !outbox.sendBinaryWhenRoom(ByteBuffer.wrap(Arrays.copyOf(buffer, n)))) {
                return End.CLIENT_GONE;
            }
        }
        return End.END_OF_OUTPUT;
    }

    /**
     * One message per line, without its "\n" or "\r\n"; a last line without a newline is sent too.
     * Output that is not UTF-8 arrives with U+FFFD in place of the bad bytes: a text frame must be UTF-8.
     */
    private static End lines(InputStream in, Outbox outbox, long maxLineBytes) throws IOException, InterruptedException {
        byte[] buffer = new byte[8192];
        LineBuffer line = new LineBuffer();
        for (int n; (n = in.read(buffer)) >= 0; ) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.append(buffer, start, i - start);
                    start = i + 1;
                    if (line.contentSize() > maxLineBytes) {
                        return End.LINE_TOO_LONG;
                    }
                    if (!outbox.sendTextWhenRoom(line.takeLine())) {
                        return End.CLIENT_GONE;
                    }
                }
            }
            line.append(buffer, start, n - start);
            if (line.size() > maxLineBytes + 1) { // + 1: a "\r" that may yet be followed by "\n"
                return End.LINE_TOO_LONG;
            }
        }
        if (line.contentSize() > maxLineBytes) {
            return End.LINE_TOO_LONG;
        }
        if (line.size() > 0 && !outbox.sendTextWhenRoom(line.takeLine())) {
            return End.CLIENT_GONE;
        }
        return End.END_OF_OUTPUT;
    }

    private static final class LineBuffer {
        private byte[] bytes = new byte[256];
        private int size;

        void append(byte[] source, int from, int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(source, from, bytes, size, length);
            size += length;
        }

        int size() {
            return size;
        }

        /** The line's length without a trailing "\r". */
        int contentSize() {
            return size > 0 && bytes[size - 1] == '\r' ? size - 1 : size;
        }

        String takeLine() {
            int length = contentSize();
            String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
            size = 0;
            if (bytes.length > 64 * 1024) {
                bytes = new byte[256]; // don't keep one long line's buffer for the connection's life
            }
            return text;
        }
    }
}
