package dev.socketworks.runtime;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The paths of the WAR's {@code @ServerEndpoint} classes, read from the classes the WAR holds: the
 * same set the container deploys, so each path is declared once, in its annotation. Read at
 * start-up by the runtime itself because containers differ in when they hand their own scan to a
 * {@code ServerApplicationConfig} (Payara's Tyrus does it after the application's listeners ran).
 * Classes are loaded without being initialized.
 */
final class AnnotatedEndpoints {

    private static final Logger LOG = Logger.getLogger(AnnotatedEndpoints.class.getName());
    private static final String CLASSES = "/WEB-INF/classes/";

    private AnnotatedEndpoints() {
    }

    /** E.g. ["/", "/broadcast", "/chat/{room}"], sorted. */
    static List<String> paths(ServletContext context, ClassLoader loader) {
        List<String> paths = new ArrayList<>();
        collect(context, CLASSES, loader, paths);
        paths.sort(null);
        return paths;
    }

    private static void collect(ServletContext context, String directory, ClassLoader loader, List<String> paths) {
        Set<String> entries = context.getResourcePaths(directory);
        if (entries == null) {
            return;
        }
        for (String entry : entries) {
            if (entry.endsWith("/")) {
                collect(context, entry, loader, paths);
            } else if (entry.endsWith(".class") && !entry.contains("$")) {
                String name = entry.substring(CLASSES.length(), entry.length() - ".class".length()).replace('/', '.');
                ServerEndpoint endpoint = annotation(name, loader);
                if (endpoint != null) {
                    paths.add(endpoint.value());
                }
            }
        }
    }

    private static ServerEndpoint annotation(String className, ClassLoader loader) {
        try {
            return Class.forName(className, false, loader).getAnnotation(ServerEndpoint.class);
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.log(Level.FINE, "not an endpoint: " + className, e);
            return null;
        }
    }
}
