import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * One server of the cluster suite (dev.socketworks.it.ClusterIT), run from source by the java
 * launcher with Tomcat's jars on the class path, so the test sources need no Tomcat to compile and
 * no other container's suite sees it. One server, in a JVM of its own so a test can kill it (-9): an embedded
 * Tomcat on 127.0.0.1 serving the built WAR at /socketworks, configured by system properties
 * (socketworks.engine, socketworks.nodeName, ...). Prints {@value #READY} once it serves; reads
 * "stop" on stdin (or takes SIGTERM) for an orderly undeploy and exit, "reload" to redeploy the WAR
 * in place (printing {@value #RELOADED}), and "leaks" to print {@value #LEAKS} and the contexts
 * whose stopped class loaders are still in memory after a GC (Tomcat's own leak finder).
 *
 * <p>Arguments: port, WAR file, and optionally the WAR's context path (default /socketworks; "" for
 * the root) and a static context "/path=directory" served beside it (same origin).
 */
public final class TomcatNode {

    static final String READY = "socketworks-node-ready";
    static final String RELOADED = "socketworks-node-reloaded";
    static final String LEAKS = "socketworks-node-leaks:";

    private TomcatNode() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        File war = new File(args[1]);
        File base = Files.createTempDirectory("socketworks-node").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.getHost().setAppBase(base.getAbsolutePath());
        Context webapp = tomcat.addWebapp(args.length > 2 ? args[2] : "/socketworks", war.getAbsolutePath());
        if (args.length > 3) {
            String[] staticContext = args[3].split("=", 2);
            tomcat.addWebapp(staticContext[0], new File(staticContext[1]).getAbsolutePath());
        }
        tomcat.start();
        System.out.println(READY);
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null; ) {
            String command = line.strip();
            if (command.equals("stop")) {
                break;
            } else if (command.equals("reload")) {
                webapp.reload();
                System.out.println(RELOADED);
            } else if (command.equals("leaks")) {
                String[] leaked = ((StandardHost) tomcat.getHost()).findReloadedContextMemoryLeaks();
                System.out.println(LEAKS + String.join(",", leaked));
                System.out.println("socketworks-node-netty-threads:" + threadsWithNettyLocals());
            }
            System.out.flush();
        }
        stop(tomcat);
        System.exit(0);
    }

    /** Threads holding Netty's thread-local map (what Tomcat reports without naming the thread). */
    private static String threadsWithNettyLocals() {
        StringBuilder found = new StringBuilder();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            try {
                java.lang.reflect.Field locals = Thread.class.getDeclaredField("threadLocals");
                locals.setAccessible(true);
                Object map = locals.get(thread);
                if (map == null) {
                    continue;
                }
                java.lang.reflect.Field tableField = map.getClass().getDeclaredField("table");
                tableField.setAccessible(true);
                for (Object entry : (Object[]) tableField.get(map)) {
                    if (entry == null) {
                        continue;
                    }
                    java.lang.reflect.Field value = entry.getClass().getDeclaredField("value");
                    value.setAccessible(true);
                    Object held = value.get(entry);
                    if (held != null && held.getClass().getName().contains("InternalThreadLocalMap")) {
                        found.append(' ').append(thread.getName());
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                found.append(" ?").append(e.getClass().getSimpleName());
            }
        }
        return found.toString();
    }

    private static void stop(Tomcat tomcat) throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
