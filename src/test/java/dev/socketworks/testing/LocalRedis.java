package dev.socketworks.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server, started once per test JVM on 127.0.0.1 and a free port, with no
 * persistence, and stopped when the JVM ends. Tests that need Redis call {@link #uri()}.
 */
public final class LocalRedis {

    private static String uri;

    private LocalRedis() {
    }

    public static synchronized String uri() {
        if (uri == null) {
            uri = start();
        }
        return uri;
    }

    private static String start() {
        try {
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            Path dir = Files.createTempDirectory("socketworks-redis");
            Process redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::destroy));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return "redis://127.0.0.1:" + port;
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
}
