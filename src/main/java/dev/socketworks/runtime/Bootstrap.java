package dev.socketworks.runtime;

import dev.socketworks.bridge.Bridge;
import dev.socketworks.config.Settings;
import dev.socketworks.config.SettingsLoader;
import dev.socketworks.handshake.ConfiguredEndpoints;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import java.util.logging.Logger;

/**
 * Starts and stops the deployment. Settings are loaded and validated first: an invalid value throws,
 * which every container reports as a failed deployment, better than running with a limit nobody
 * chose. Undeploy closes every open session with 1001 and stops the timers.
 */
@WebListener
public class Bootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class.getName());

    private AppContext app;
    private Bridge bridge;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = SettingsLoader.load(context::getInitParameter);
        bridge = Bridge.load(settings); // a bad routes file stops the deployment here, naming route and field
        registerRoutes(context, bridge);
        app = AppContext.start(settings);
        context.setAttribute(AppContext.class.getName(), app);
        LOG.info(() -> "Socketworks started at " + context.getContextPath() + " using the "
                + app.scheduling().describe() + ", with " + settings.describe());
        if (!bridge.routes().isEmpty()) {
            LOG.info(() -> "Routes from " + settings.routesFile() + ": " + bridge.routes().stream()
                    .map(r -> r.path() + " -> " + r.target()).toList());
        }
    }

    private static void registerRoutes(ServletContext context, Bridge bridge) {
        context.setAttribute(ConfiguredEndpoints.ATTRIBUTE, bridge);
        if (bridge.routes().isEmpty()) {
            return;
        }
        if (!(context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer container)) {
            throw new IllegalStateException("Routes are configured but this container offers no WebSocket ServerContainer");
        }
        try {
            bridge.register(container);
        } catch (DeploymentException e) {
            throw new IllegalStateException("Cannot register the configured routes: " + e.getMessage(), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (app != null) {
            Settings settings = app.settings();
            app.stop(); // sessions were closed by AdmissionFilter.destroy(); any opened since, here
            event.getServletContext().removeAttribute(AppContext.class.getName());
            LOG.info("Socketworks stopped");
            if (bridge != null) {
                bridge.stop(settings.runStopGrace()); // after the 1001s: programs end after their clients
            }
        }
    }
}
