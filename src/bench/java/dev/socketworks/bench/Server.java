package dev.socketworks.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server under test, run as its own process on 127.0.0.1 so its CPU time and memory can be read
 * from /proc apart from the load client's.
 */
final class Server implements AutoCloseable {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    // The per-connection buffer sizes server-config/tomcat recommends for many connections (its README
    // explains each); Tomcat's defaults are 8 KiB apiece, which is most of what an idle connection costs.
    static final String TUNED_CONNECTOR = "socket.appReadBufSize=\"2048\" socket.appWriteBufSize=\"2048\"";
    static final String TUNED_SYSTEM_PROPERTY = "-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048";
    static final String TUNED_CONTEXT =
            "  <Parameter name=\"org.apache.tomcat.websocket.textBufferSize\" value=\"1024\" override=\"false\"/>\n"
            + "  <Parameter name=\"org.apache.tomcat.websocket.binaryBufferSize\" value=\"1024\" override=\"false\"/>";

    final String name;
    final int port;
    private final List<String> command;
    private final Path log;
    private final boolean jvm;
    private final java.util.Map<String, String> environment;
    private final Path directory;
    private final Path scratch; // emptied before every launch: state a restart must not inherit (null: none)
    private String readyPath; // set before launch, for servers that deploy after they listen
    private volatile Process process;

    private Server(String name, int port, List<String> command, Path log, boolean jvm, java.util.Map<String, String> environment,
                   Path directory, Path scratch) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.log = log;
        this.jvm = jvm;
        this.environment = java.util.Map.copyOf(environment);
        this.directory = directory;
        this.scratch = scratch;
    }

    /**
     * Tomcat from its Maven Central distribution, in a base of its own under {@code work}: loopback
     * only, no shutdown port, and room for the storm's 10,000 connections (Tomcat's NIO connector
     * refuses past 8,192 by default).
     */
    static Server tomcat(Path home, Path war, Path work, int port, boolean profile, boolean tuned, List<String> jvmOptions)
            throws IOException {
        return tomcat("socketworks", home, war, work, port, profile, tuned, jvmOptions);
    }

    /** As above, named (its log, its CATALINA_BASE): several can run side by side. */
    static Server tomcat(String name, Path home, Path war, Path work, int port, boolean profile, boolean tuned,
                         List<String> jvmOptions) throws IOException {
        return tomcat(name, home, war, "socketworks", work, port, profile, tuned, jvmOptions);
    }

    /**
     * Tomcat's own examples web application alone in a Tomcat of its own, set up exactly as the
     * Socketworks one (connector, buffers, JVM options): its {@code /examples/websocket/echoAnnotation}
     * is the floor our echo is measured against, so what Socketworks adds on top of the container
     * shows in every run.
     */
    static Server tomcatExamples(String name, Path home, Path work, int port, boolean tuned, List<String> jvmOptions)
            throws IOException {
        Path examples = home.resolve("webapps/examples");
        if (!Files.isDirectory(examples)) {
            throw new IOException("no webapps/examples in " + home + ": the Tomcat distribution is needed, not an embedded one");
        }
        return tomcat(name, home, examples, "examples", work, port, false, tuned, jvmOptions);
    }

    private static Server tomcat(String name, Path home, Path webapp, String contextName, Path work, int port, boolean profile,
                                 boolean tuned, List<String> jvmOptions) throws IOException {
        Path base = work.resolve(name.equals("socketworks") ? "tomcat-base" : name + "-tomcat-base");
        deleteTree(base);
        for (String dir : List.of("conf", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        String xml = Files.readString(serverXml)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                        "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" maxConnections=\"20000\""
                                + (tuned ? " " + TUNED_CONNECTOR : ""));
        if (!xml.contains("address=\"127.0.0.1\"")) {
            throw new IllegalStateException("unexpected server.xml layout in " + home);
        }
        Files.writeString(serverXml, xml);
        if (Files.isDirectory(webapp)) {
            copyTree(webapp, base.resolve("webapps").resolve(contextName));
        } else {
            Files.copy(webapp, base.resolve("webapps").resolve(contextName + ".war"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path routes = catRoutes(work);

        String recording = "-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile,dumponexit=true";
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsocketworks.routes=" + routes,
                "-Dcatalina.home=" + home, "-Dcatalina.base=" + base,
                recording,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-classpath", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        command.addAll(1, jvmOptions);
        if (tuned) {
            command.add(1, TUNED_SYSTEM_PROPERTY);
            Path contextXml = base.resolve("conf/Catalina/localhost/" + contextName + ".xml");
            Files.createDirectories(contextXml.getParent());
            Files.writeString(contextXml, "<Context>\n" + TUNED_CONTEXT + "\n</Context>\n");
        }
        if (!profile) {
            command.remove(recording); // a recording given in the JVM options stays
        }
        return start(name, port, command, work, true);
    }

    /** The program scenario's route: cat per connection, as websocketd runs it, with room for churn. */
    private static Path catRoutes(Path work) throws IOException {
        Path routes = work.resolve("routes.json").toAbsolutePath();
        Files.writeString(routes, "{\"routes\": [{\"name\": \"cat\", \"command\": [\"cat\"], \"maxProcesses\": 1000}]}\n");
        return routes;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The same WAR on Jetty 12 (ee10) from its jetty-home distribution, in a base of its own with
     * the modules a WebSocket WAR needs, on 127.0.0.1, at /socketworks.
     */
    static Server jetty(Path home, Path war, Path work, int port, List<String> jvmOptions) throws IOException, InterruptedException {
        return jetty("jetty", home, war, "socketworks", work, port, jvmOptions);
    }

    static Server jetty(String name, Path home, Path war, String context, Path work, int port, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path base = freshDirectory(work.resolve(name + "-base"));
        Files.createDirectories(work.resolve("logs"));
        Process setup = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home,
                "jetty.base=" + base, "--add-modules=http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("logs/jetty-setup.log").toFile())).start();
        if (!setup.waitFor(2, TimeUnit.MINUTES) || setup.exitValue() != 0) {
            throw new IOException("Jetty's module setup failed; see " + work.resolve("logs/jetty-setup.log"));
        }
        Files.copy(war, base.resolve("webapps/" + context + ".war"), StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>(List.of(java()));
        command.add("-Dsocketworks.routes=" + catRoutes(work));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        return start(name, port, command, work, true, java.util.Map.of(), base, null);
    }

    /**
     * The same WAR on WildFly (Undertow) from its distribution, with a server base of its own: every
     * interface bound to 127.0.0.1, every port moved by an offset so {@code port} is its HTTP port.
     */
    static Server wildfly(Path home, Path war, Path work, int port, List<String> jvmOptions) throws IOException {
        Path base = freshDirectory(work.resolve("wildfly-base"));
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Files.copy(war, base.resolve("deployments/socketworks.war"), StandardCopyOption.REPLACE_EXISTING);
        Path script = home.resolve("bin/standalone.sh");
        script.toFile().setExecutable(true);
        // standalone.conf's own options apply only when JAVA_OPTS is empty: these are its defaults but the heap limit.
        List<String> javaOptions = new ArrayList<>(List.of("-Djava.net.preferIPv4Stack=true", "-Djava.awt.headless=true",
                "-Djboss.modules.system.pkgs=org.jboss.byteman", "-Dsocketworks.routes=" + catRoutes(work)));
        javaOptions.addAll(jvmOptions);
        return start("wildfly", port, List.of(script.toString(), "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                        "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + (port - 8080)),
                work, true, java.util.Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", String.join(" ", javaOptions),
                        "LAUNCH_JBOSS_IN_BACKGROUND", "1"), null, null);
    }

    /**
     * The same WAR on Payara Micro, on 127.0.0.1 only: its HTTP listener (preboot.asadmin) and its
     * data grid, which listens on every interface even with {@code --nocluster} unless pinned here.
     */
    static Server payaraMicro(Path jar, Path war, Path serverConfig, Path work, int port, List<String> jvmOptions) throws IOException {
        int gridPort = port + 8000;
        List<String> command = new ArrayList<>(List.of(java(), "-Dhazelcast.socket.bind.any=false"));
        command.add("-Dsocketworks.routes=" + catRoutes(work));
        command.addAll(jvmOptions);
        // The root directory is emptied before every launch: restarted on the root its last run left,
        // Payara Micro deployed the WAR and undeployed it half a second later, saying nothing.
        Path root = work.resolve("payara-root").toAbsolutePath();
        command.addAll(List.of("-jar", jar.toString(), "--deploy", war.toString(), "--contextroot", "socketworks",
                "--port", String.valueOf(port), "--interfaces", "127.0.0.1",
                "--clustermode", "tcpip:127.0.0.1:" + gridPort, "--startport", String.valueOf(gridPort),
                "--rootdir", root.toString(),
                "--prebootcommandfile", serverConfig.resolve("payara/preboot.asadmin").toString()));
        return start("payara", port, command, work, true, java.util.Map.of(), null, root);
    }

    /** The same WAR on Open Liberty, in a user directory of its own with the two features it needs. */
    static Server liberty(Path wlp, Path war, Path work, int port, List<String> jvmOptions) throws IOException {
        Path user = freshDirectory(work.resolve("liberty-user"));
        Path server = user.resolve("servers/bench");
        Files.createDirectories(server);
        Files.writeString(server.resolve("server.xml"), """
                <server description="Socketworks benchmark">
                  <featureManager>
                    <feature>servlet-6.0</feature>
                    <feature>websocket-2.1</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="%d" httpsPort="-1"/>
                  <webApplication id="socketworks" location="%s" contextRoot="/socketworks"/>
                </server>
                """.formatted(port, war.toAbsolutePath()));
        List<String> options = new ArrayList<>(List.of("-Dsocketworks.routes=" + catRoutes(work)));
        options.addAll(jvmOptions);
        Files.write(server.resolve("jvm.options"), options);
        Path script = wlp.resolve("bin/server");
        script.toFile().setExecutable(true);
        return start("liberty", port, List.of(script.toString(), "run", "bench"), work, true,
                java.util.Map.of("JAVA_HOME", System.getProperty("java.home"), "WLP_USER_DIR", user.toString()), null, null);
    }

    private static Path freshDirectory(Path directory) throws IOException {
        deleteTree(directory);
        Files.createDirectories(directory);
        return directory.toAbsolutePath();
    }

    /** Debian's redis-server on 127.0.0.1, no persistence: the engine of the cluster peer. */
    static Server redis(Path work, int port) throws IOException {
        return start("redis", port, List.of("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(port),
                "--save", "", "--appendonly", "no", "--dir", work.toAbsolutePath().toString()), work, false);
    }

    /** Node's {@code ws} package (pinned in src/bench/node/package.json), installed under {@code work}. */
    static Server node(Path sources, Path work, int port) throws IOException, InterruptedException {
        Path dir = work.resolve("node");
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "server.js")) {
            Path source = sources.resolve(file);
            if (Files.exists(source)) {
                Files.copy(source, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/ws"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(dir.toFile()).inheritIO().start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IOException("npm ci failed in " + dir);
            }
        }
        return start("node-ws", port, List.of("node", dir.resolve("server.js").toString(), String.valueOf(port)), work, false);
    }

    /** websocketd (Debian package) with {@code cat}: one process per connection, lines both ways. */
    static Server websocketd(Path work, int port) throws IOException {
        return start("websocketd", port,
                List.of("websocketd", "--address=127.0.0.1", "--port=" + port, "--loglevel=error", "cat"), work, false);
    }

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Server start(String name, int port, List<String> command, Path work, boolean jvm) throws IOException {
        return start(name, port, command, work, jvm, java.util.Map.of(), null, null);
    }

    private static Server start(String name, int port, List<String> command, Path work, boolean jvm,
                                java.util.Map<String, String> environment, Path directory, Path scratch) throws IOException {
        Path log = work.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Server server = new Server(name, port, command, log, jvm, environment, directory, scratch);
        if (jvm) {
            server.readyPath = switch (name) {
                case Bench.CONTAINER_ECHO -> "/examples/";
                case Bench.JETTY_ECHO -> "/plain/";
                default -> "/socketworks/";
            };
        }
        server.launch();
        return server;
    }

    private void launch() throws IOException {
        if (scratch != null) {
            freshDirectory(scratch);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!accepts() || (readyPath != null && !(answers(readyPath) && upgrades(readyPath)))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IOException(name + " did not start serving on 127.0.0.1:" + port + "; see " + log);
            }
            pause(100);
        }
        pause(200);
        if (!process.isAlive()) { // another process held the port: what answered was not this server
            throw new IOException(name + " exited right after 127.0.0.1:" + port + " answered (port already in use?); see " + log);
        }
    }

    /** Some containers listen before they have deployed: a page of the application answering 200 says it is there. */
    private boolean answers(String path) {
        try {
            java.net.HttpURLConnection get = (java.net.HttpURLConnection)
                    java.net.URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            get.setConnectTimeout(500);
            get.setReadTimeout(2000);
            try {
                return get.getResponseCode() == 200;
            } finally {
                get.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a WebSocket handshake to the application's echo succeeds: a page answering is not
     * enough (after a restart, Payara Micro answered a handshake with 200, then 404).
     */
    private boolean upgrades(String path) {
        String echo = switch (path) {
            case "/examples/" -> "/examples/websocket/echoAnnotation";
            case "/plain/" -> "/plain/plain-echo";
            default -> path + "echo";
        };
        try {
            java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(2))
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + port + echo), new java.net.http.WebSocket.Listener() { })
                    .get(5, TimeUnit.SECONDS);
            socket.abort();
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** A fresh process, so memory figures start from what a new server holds, not from earlier runs. */
    void restart() throws IOException {
        close();
        launch();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the server has written to its console so far (the arena's tick statistics are read from it). */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1); // any byte decodes: a partial line cannot fail
        } catch (IOException e) {
            return "";
        }
    }

    long pid() {
        return process.pid();
    }

    /** User plus system CPU seconds of the server and every process it started, live or reaped. */
    double cpuSeconds() {
        double total = cpuSeconds(process.pid(), true);
        for (ProcessHandle child : process.descendants().toList()) {
            total += cpuSeconds(child.pid(), false);
        }
        return total;
    }

    private static double cpuSeconds(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Resident memory of the server and its descendants, in bytes. */
    long rssBytes() {
        long total = rss(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            total += rss(child.pid());
        }
        return total;
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // process ended between listing and reading
        }
        return 0;
    }

    /** Java heap in use right after a full GC (jcmd), in bytes; empty for servers that are not JVMs. */
    OptionalDouble heapAfterGc() {
        if (!jvm) {
            return OptionalDouble.empty();
        }
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        return used.find() ? OptionalDouble.of(Long.parseLong(used.group(1)) * 1024.0) : OptionalDouble.empty();
    }

    /** The server's live-object histogram (JVMs only), for finding what an idle connection costs. */
    void writeHistogram(Path file) throws IOException {
        if (jvm) {
            Files.writeString(file, jcmd("GC.class_histogram"));
        }
    }

    /** A full GC so RSS readings are not inflated by garbage (no-op for non-JVM servers). */
    void collectGarbage() {
        if (jvm) {
            jcmd("GC.run");
        }
    }

    /** The JVM's process: the one started, or for servers started by a script (WildFly, Liberty) the java it runs. */
    private long jvmPid() {
        if (process.info().command().map(c -> c.endsWith("/java")).orElse(true)) {
            return process.pid();
        }
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    private String jcmd(String command) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(jvmPid()), command).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
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

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
