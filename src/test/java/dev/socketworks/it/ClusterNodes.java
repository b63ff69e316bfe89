package dev.socketworks.it;

import dev.socketworks.testing.Poll;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Servers of the cluster suite, each in a JVM of its own on 127.0.0.1, with the WAR the build made:
 * an embedded Tomcat (src/test/cluster/TomcatNode.java, run from source) on a free port, or the
 * WildFly the build unpacked, with a server directory of its own. Output goes to
 * target/cluster-nodes/NAME.log.
 */
final class ClusterNodes {

    private ClusterNodes() {
    }

    static final class Node implements AutoCloseable {
        final String name;
        final int port;
        private final String contextPath;
        private final List<String> command;
        private final Map<String, String> environment;
        private Process process;
        private Writer commands;

        private Node(String name, int port, List<String> command, Map<String, String> environment) {
            this(name, port, "/socketworks", command, environment);
        }

        private Node(String name, int port, String contextPath, List<String> command, Map<String, String> environment) {
            this.name = name;
            this.port = port;
            this.contextPath = contextPath;
            this.command = command;
            this.environment = environment;
        }

        URI ws(String path) {
            return URI.create("ws://127.0.0.1:" + port + contextPath + path);
        }

        String http(String path) {
            return "http://127.0.0.1:" + port + contextPath + path;
        }

        /** Starts the server and waits until the WAR is deployed and ready (GET /ready: 200), as a load balancer would. */
        Node start() throws Exception {
            startServing();
            Poll.until(Duration.ofSeconds(30), "node " + name + " ready", () -> readiness() == 200);
            return this;
        }

        /** The status of GET /ready: 200 when it can serve every service, 503 when not (-1: nothing answers). */
        int readiness() throws IOException, InterruptedException {
            try {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http("/ready")))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.net.ConnectException | java.net.http.HttpTimeoutException notYet) {
                return -1;
            }
        }

        /** GET /health/ready's body: MicroProfile Health's JSON, each check with its status and data. */
        String readyHealth() throws IOException, InterruptedException {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http("/health/ready")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Starts the server and waits (up to 120 s) until the WAR answers, ready or not. */
        Node startServing() throws Exception {
            Path logs = Path.of("target", "cluster-nodes");
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            try {
                Poll.until(Duration.ofSeconds(120), "node " + name + " serving (see " + log + ")", () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("node " + name + " exited: see " + log);
                    }
                    int status = readiness();
                    return status == 200 || status == 503;
                });
            } catch (Exception | AssertionError e) {
                close();
                throw e;
            }
            return this;
        }

        /**
         * Sends a command to the node (TomcatNode's stdin) and returns the rest of the first line of its
         * output starting with {@code answer} after it, within {@code deadline}.
         */
        String ask(String command, String answer, Duration deadline) throws Exception {
            Path log = Path.of("target", "cluster-nodes", name + ".log");
            long seen = Files.size(log);
            commands.write(command + "\n");
            commands.flush();
            String[] found = new String[1];
            Poll.until(deadline, "node " + name + " answering " + command + " (see " + log + ")", () -> {
                String added = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) seen);
                for (String line : added.split("\n")) {
                    if (line.startsWith(answer)) {
                        found[0] = line.substring(answer.length()).strip();
                        return true;
                    }
                }
                return false;
            });
            return found[0];
        }

        boolean isRunning() {
            return process != null && process.isAlive();
        }

        /** kill -9 of the server's JVM: no undeploy, no goodbye to Redis. */
        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** An orderly undeploy (clients get its close code), then the JVM exits. */
        void stop() throws IOException, InterruptedException {
            if (process != null && process.isAlive()) {
                commands.write("stop\n"); // TomcatNode reads it; a WildFly gets SIGTERM below
                commands.flush();
                process.descendants().forEach(ProcessHandle::destroy);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    kill();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null && process.isAlive()) {
                kill();
            }
        }
    }

    /** What Tomcat's leak detection needs to look into threads' locals and timers at an undeploy (it says so otherwise). */
    private static final List<String> TOMCAT_LEAK_DETECTION = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED");

    /** An embedded Tomcat on a free port; {@code settings} without the socketworks. prefix. */
    static Node tomcat(String name, Map<String, String> settings) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", tomcatClassPath()));
        command.addAll(TOMCAT_LEAK_DETECTION);
        command.addAll(properties(name, settings));
        command.addAll(List.of(Path.of("src", "test", "cluster", "TomcatNode.java").toAbsolutePath().toString(),
                Integer.toString(port), war()));
        return new Node(name, port, command, Map.of());
    }

    /**
     * An embedded Tomcat on {@code port} with the WAR at the root context and {@code staticDirectory}
     * served at {@code staticPath} beside it: pages written for {@code ws://host:port/}, same origin.
     */
    static Node tomcatAtRoot(String name, int port, String staticPath, Path staticDirectory, Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", tomcatClassPath()));
        command.addAll(TOMCAT_LEAK_DETECTION);
        command.addAll(properties(name, settings));
        command.addAll(List.of(Path.of("src", "test", "cluster", "TomcatNode.java").toAbsolutePath().toString(),
                Integer.toString(port), war(), "", staticPath + "=" + staticDirectory.toAbsolutePath()));
        return new Node(name, port, "", command, Map.of());
    }

    /** Whether the build unpacked WildFly for this run (not with -Dskip.wildfly). */
    static boolean wildflyAvailable() {
        String home = System.getProperty("it.wildfly.home");
        return home != null && Files.isExecutable(Path.of(home, "bin", "standalone.sh"));
    }

    /**
     * The unpacked WildFly with a server directory of its own (a copy of standalone/, the WAR in its
     * deployments), its ports moved by an offset so HTTP lands on a free port.
     */
    static Node wildfly(String name, Map<String, String> settings) throws IOException {
        Path home = Path.of(System.getProperty("it.wildfly.home"));
        Path base = Path.of("target", "cluster-nodes", name + "-standalone").toAbsolutePath();
        if (!Files.exists(base)) {
            copy(home.resolve("standalone"), base);
        }
        Files.copy(Path.of(war()), base.resolve("deployments").resolve("socketworks.war"), StandardCopyOption.REPLACE_EXISTING);
        int offset = freeOffset();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve("standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1"));
        command.addAll(properties(name, settings));
        // The script then runs the JVM in the background and passes SIGTERM on: an orderly shutdown.
        return new Node(name, 8080 + offset, command, Map.of("LAUNCH_JBOSS_IN_BACKGROUND", "1"));
    }

    private static List<String> properties(String name, Map<String, String> settings) {
        List<String> properties = new ArrayList<>();
        settings.forEach((key, value) -> properties.add("-Dsocketworks." + key + "=" + value));
        properties.add("-Dsocketworks.nodeName=" + name);
        return properties;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** A port offset with WildFly's HTTP (8080) and management (9990) ports both free. */
    private static int freeOffset() {
        for (int offset = 400; offset < 2000; offset += 10) {
            if (isFree(8080 + offset) && isFree(9990 + offset) && isFree(8443 + offset) && isFree(9993 + offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset for WildFly");
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
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
