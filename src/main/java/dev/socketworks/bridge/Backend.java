package dev.socketworks.bridge;

import java.io.IOException;
import java.nio.ByteBuffer;

/** What a route connects one client to: a program it started, or a TCP connection. */
interface Backend {

    /** Writes one client message: in text mode as a line, in binary mode as its bytes. */
    void send(byte[] data) throws IOException;

    /** The client left: end gently (stdin closed), then by force, without blocking the caller. */
    void clientLeft();

    /** The deployment is stopping: ask it to end now; {@link #forceStop()} follows if it does not. */
    void stop();

    /** Ends it by force, with everything it started. */
    void forceStop();

    boolean isAlive();

    static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
