package dev.socketworks.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server on 127.0.0.1 and a free port, with no persistence: a stop loses its data,
 * as a real Redis without persistence does. {@link #uri()} is one shared server per test JVM,
 * stopped when the JVM ends; {@link #onFreePort()} gives a server of one's own to stop and start.
 */
public final class LocalRedis {

    private static Server shared;

    private LocalRedis() {
    }

    public static synchronized String uri() {
        if (shared == null) {
            shared = onFreePort();
            shared.start();
        }
        return shared.uri();
    }

    /** A server on a free port, not started yet. */
    public static Server onFreePort() {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new Server(free.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Server implements AutoCloseable {
        private final int port;
        private Process process;

        private Server(int port) {
            this.port = port;
        }

        public String uri() {
            return "redis://127.0.0.1:" + port;
        }

        public int port() {
            return port;
        }

        /** Starts it and waits (with a deadline) until it accepts connections. */
        public synchronized Server start() {
            try {
                Path dir = Files.createTempDirectory("socketworks-redis");
                Process redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                        "--save", "", "--appendonly", "no", "--dir", dir.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
                process = redis;
                Runtime.getRuntime().addShutdownHook(new Thread(redis::destroyForcibly));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (true) {
                    try (Socket probe = new Socket()) {
                        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return this;
                    } catch (IOException notYet) {
                        if (!redis.isAlive() || System.nanoTime() > deadline) {
                            throw new IllegalStateException("redis-server did not start: see " + dir.resolve("redis.log"));
                        }
                        redis.waitFor(50, TimeUnit.MILLISECONDS); // a poll with a deadline: nothing signals readiness
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server (is Debian's redis-server installed?)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Kills it (SIGKILL): its data is gone, its clients see the connection drop. */
        public synchronized void stop() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }
}
