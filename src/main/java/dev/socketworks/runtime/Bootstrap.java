package dev.socketworks.runtime;

import dev.socketworks.auth.Authenticator;
import dev.socketworks.auth.Rights;
import dev.socketworks.config.Settings;
import dev.socketworks.config.SettingsLoader;
import dev.socketworks.handshake.EndpointPaths;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.handshake.RefusedUpgradeServlet;
import dev.socketworks.json.DisplayNames;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Starts and stops the deployment. Settings are loaded and validated first: an invalid value throws,
 * which every container reports as a failed deployment, better than running with a limit nobody
 * chose. Then the {@link Extension}s start and their endpoints are added, and the plain-HTTP answer
 * is mapped on every endpoint path. Undeploy closes every open session with 1001, stops the timers,
 * then the extensions.
 */
@WebListener
public class Bootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class.getName());

    private AppContext app;
    private final List<Extension> extensions = new ArrayList<>();

    private dev.socketworks.logging.JsonLogs.Installed jsonLogs; // logFormat=json, undone at undeploy

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = SettingsLoader.load(context::getInitParameter);
        if (settings.logFormat().equals("json")) {
            jsonLogs = dev.socketworks.logging.JsonLogs.install(System.out);
        }
        HandshakePolicy.validate(settings);
        if (settings.auth().equals("container")) {
            // isUserInRole answers only for roles the application declares (Servlet 6.0, 13.3): Payara holds to that.
            context.declareRoles(Authenticator.container(settings.containerRoles(), Rights.none()).roles().toArray(String[]::new));
        }
        EndpointPaths paths = new EndpointPaths();
        AnnotatedEndpoints.paths(context, Bootstrap.class.getClassLoader()).forEach(path -> paths.add(path, null));
        for (Extension extension : ServiceLoader.load(Extension.class, Bootstrap.class.getClassLoader())) {
            // A bad routes file stops the deployment here, naming route and field.
            register(context, extension.start(settings, context), paths);
            extensions.add(extension);
        }
        List<RootService> atRoot = extensions.stream().flatMap(extension -> extension.atRoot().stream()).toList();
        ServerEndpointConfig root = RootEndpoint.config(atRoot, LOG);
        if (root != null) {
            register(context, List.of(root), paths);
            LOG.info(() -> "At / by subprotocol: " + RootEndpoint.describe(atRoot));
        }
        if (paths.urlPatterns().isEmpty()) {
            throw new IllegalStateException("No WebSocket endpoint found under /WEB-INF/classes: is this the Socketworks WAR?");
        }
        context.setAttribute(EndpointPaths.ATTRIBUTE, paths);
        context.addServlet("websocket-paths", RefusedUpgradeServlet.class)
                .addMapping(paths.urlPatterns().toArray(String[]::new));
        app = AppContext.start(settings);
        AppContext started = app;
        HandshakePolicy.countRefusalsWith(refusal -> started.metrics().refused(
                refusal == HandshakePolicy.OriginRefusal.HOST ? Metrics.Refusal.HOST : Metrics.Refusal.ORIGIN));
        app.serveAtRoot(atRoot);
        DisplayNames.load(); // Unicode's confusables data: here, not in the first client's handshake thread
        extensions.forEach(extension -> extension.started(app));
        app.control().start(); // after the extensions added what they answer
        context.setAttribute(AppContext.class.getName(), app);
        LOG.info(() -> "Socketworks started at " + context.getContextPath() + " as node " + app.hub().node()
                + (settings.engineUri().isEmpty() ? " (engine: memory)" : " (engine: Redis" + (app.hub().available() ? ")" : ", not connected yet)"))
                + " using the " + app.scheduling().describe() + ", serving " + paths.urlPatterns() + ", with " + settings.describe());
    }

    private static void register(ServletContext context, List<ServerEndpointConfig> endpoints, EndpointPaths paths) {
        if (endpoints.isEmpty()) {
            return;
        }
        if (!(context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container)) {
            throw new IllegalStateException("Endpoints are configured but this container offers no WebSocket ServerContainer");
        }
        for (ServerEndpointConfig endpoint : endpoints) {
            try {
                container.addEndpoint(endpoint);
            } catch (DeploymentException e) {
                throw new IllegalStateException("Cannot add the endpoint " + endpoint.getPath() + ": " + e.getMessage(), e);
            }
            paths.add(endpoint.getPath(), endpoint.getConfigurator() instanceof HandshakePolicy policy
                    ? policy.ownOriginPolicy() : null);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (app != null) {
            Settings settings = app.settings();
            app.stop(); // sessions were closed by AdmissionFilter.destroy(); any opened since, here
            event.getServletContext().removeAttribute(AppContext.class.getName());
            LOG.info("Socketworks stopped");
            extensions.forEach(extension -> extension.stop(settings)); // after the 1001s: programs end after their clients
        }
        HandshakePolicy.countRefusalsWith(null);
        if (jsonLogs != null) {
            jsonLogs.uninstall();
            jsonLogs = null;
        }
    }
}
