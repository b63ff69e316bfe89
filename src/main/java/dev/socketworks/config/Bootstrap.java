package dev.socketworks.config;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.util.logging.Logger;

/**
 * Loads and validates the settings when the WAR is deployed. An invalid value throws, which every
 * container reports as a failed deployment: better than running with a limit nobody chose.
 */
@WebListener
public class Bootstrap implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = SettingsLoader.load(context::getInitParameter);
        Settings.install(settings);
        LOG.info(() -> "Socketworks started at " + context.getContextPath() + " with " + settings.describe());
    }
}
