package dev.socketworks.runtime;

import dev.socketworks.config.Settings;
import dev.socketworks.config.SettingsLoader;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

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

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = SettingsLoader.load(context::getInitParameter);
        app = AppContext.start(settings);
        LOG.info(() -> "Socketworks started at " + context.getContextPath() + " using the "
                + app.scheduling().describe() + ", with " + settings.describe());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (app != null) {
            int open = app.sessions().count();
            app.stop();
            LOG.info(() -> "Socketworks stopped; closed " + open + " open session(s) with 1001");
        }
    }
}
