package dev.socketworks.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** What a route connects one client to: a program it started, or a TCP connection. */
interface Backend {

    /** Writes one client message: in text mode as a line, in binary mode as its bytes. */
    void send(byte[] data) throws IOException;

    /** The client left: end gently (stdin closed), then by force, without blocking the caller. */
    void clientLeft();

    /**
     * The deployment is stopping: end now, by force if it does not end itself within the grace
     * period. Completes once it and everything it started are gone.
     */
    CompletableFuture<Void> stop();

    /** One client message to a program's stdin or a TCP stream: a line in text mode, the bytes in binary mode. */
    static void write(java.io.OutputStream out, byte[] data, Route.Mode mode) throws IOException {
        synchronized (out) {
            out.write(data);
            if (mode == Route.Mode.TEXT) {
                out.write('\n');
            }
            out.flush(); // one message is input the other side can act on now
        }
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
