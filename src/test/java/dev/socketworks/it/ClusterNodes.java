package dev.socketworks.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.socketworks.testing.Poll;

/**
 * Servers of the cluster suite: each src/test/cluster/TomcatNode.java in its own JVM, on 127.0.0.1 and a free
 * port, with the WAR the build made. Their output goes to target/cluster-nodes/NAME.log.
 */
final class ClusterNodes {

    /** What src/test/cluster/TomcatNode.java prints once it serves. */
    private static final String READY = "socketworks-node-ready";

    private ClusterNodes() {
    }

    static final class Node implements AutoCloseable {
        final String name;
        final int port;
        private final Map<String, String> settings;
        private Process process;
        private Writer commands;

        private Node(String name, int port, Map<String, String> settings) {
            this.name = name;
            this.port = port;
            this.settings = settings;
        }

        URI ws(String path) {
            return URI.create("ws://127.0.0.1:" + port + "/socketworks" + path);
        }

        String http(String path) {
            return "http://127.0.0.1:" + port + "/socketworks" + path;
        }

        /** Starts the JVM and waits (up to 90 s) until the WAR is deployed and ready (GET /ready: 200), as a load balancer would. */
        Node start() throws Exception {
            startServing();
            Poll.until(Duration.ofSeconds(30), "node " + name + " ready", () -> readiness() == 200);
            return this;
        }

        /** The status of GET /ready: 200 when it can serve every service, 503 when not. */
        int readiness() throws IOException, InterruptedException {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http("/ready"))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /** Starts the JVM and waits (up to 90 s) until the WAR is deployed and serving, ready or not. */
        Node startServing() throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", tomcatClassPath()));
            settings.forEach((key, value) -> command.add("-Dsocketworks." + key + "=" + value));
            command.add("-Dsocketworks.nodeName=" + name);
            command.addAll(List.of(Path.of("src", "test", "cluster", "TomcatNode.java").toAbsolutePath().toString(),
                    Integer.toString(port), war()));
            Path logs = Path.of("target", "cluster-nodes");
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            Process started = process;
            Thread copier = new Thread(() -> copyOutput(started, log, ready), "node-output-" + name);
            copier.setDaemon(true);
            copier.start();
            try {
                if (!ready.get(90, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("node " + name + " exited before serving: see " + log);
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("node " + name + " did not start within 90 s: see " + log, e);
            }
            return this;
        }

        private static void copyOutput(Process process, Path log, CompletableFuture<Boolean> ready) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = out.readLine()) != null; ) {
                    file.write(line);
                    file.write('\n');
                    file.flush();
                    if (line.equals(READY)) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        }

        boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** kill -9: no undeploy, no goodbye to Redis. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** An orderly undeploy (clients get its close code), then the JVM exits. */
        void stop() throws IOException, InterruptedException {
            if (process != null && process.isAlive()) {
                commands.write("stop\n");
                commands.flush();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }

        @Override
        public void close() throws Exception {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A node on a free port; {@code settings} without the socketworks. prefix. */
    static Node node(String name, Map<String, String> settings) throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return new Node(name, free.getLocalPort(), settings);
        }
    }

    private static String war() {
        return Path.of(System.getProperty("socketworks.war", "target/socketworks.war")).toAbsolutePath().toString();
    }

    /** Tomcat's jars from this JVM's class path (the it-cluster execution adds them): not the app's. */
    private static String tomcatClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> entry.contains("tomcat"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
