package dev.socketworks.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server on 127.0.0.1 and a free port, with no persistence: a stop loses its data,
 * as a real Redis without persistence does. {@link #uri()} is one shared server per test JVM,
 * stopped when the JVM ends; {@link #onFreePort()} gives a server of one's own to stop and start;
 * {@link #clusterUri()} a three-master Redis Cluster.
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

    private static String clusterUri;

    /**
     * A Redis Cluster of three masters (no replicas) on 127.0.0.1, made once per test JVM with
     * {@code redis-cli --cluster create}: {@code redis-cluster://127.0.0.1:p1,...}.
     */
    public static synchronized String clusterUri() {
        if (clusterUri == null) {
            List<Server> masters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Server master = onFreePort();
                master.clustered = true;
                masters.add(master.start());
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            masters.forEach(m -> command.add("127.0.0.1:" + m.port));
            command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            try {
                Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(create.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!create.waitFor(30, TimeUnit.SECONDS) || create.exitValue() != 0 || !output.contains("All 16384 slots covered")) {
                    throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
                }
                for (Server master : masters) {
                    awaitClusterOk(master.port);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot make a local Redis Cluster", e);
            }
            clusterUri = "redis-cluster://" + String.join(",", masters.stream().map(m -> "127.0.0.1:" + m.port).toList());
        }
        return clusterUri;
    }

    /** Every node must agree the cluster is up before a client connects; nothing signals it, so CLUSTER INFO is polled. */
    private static void awaitClusterOk(int port) throws Exception {
        Poll.until(java.time.Duration.ofSeconds(20), "cluster_state:ok on port " + port, () -> {
            Process info = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "cluster", "info").start();
            String output = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            info.waitFor(5, TimeUnit.SECONDS);
            return output.contains("cluster_state:ok");
        });
    }

    public static final class Server implements AutoCloseable {
        private final int port;
        private Process process;
        private boolean clustered;

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
                List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                        "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                        "--enable-debug-command", "local")); // DEBUG SLEEP: a stalled Redis, from 127.0.0.1 only
                if (clustered) {
                    command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString()));
                }
                Process redis = new ProcessBuilder(command)
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
