package dev.socketworks.it;

import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;

/**
 * Base of every in-container test class: the built WAR is deployed by Arquillian into the container
 * named by -Darquillian.launch, and tests talk to it as a client over 127.0.0.1 with Tyrus.
 */
@ExtendWith(ArquillianExtension.class)
abstract class ContainerSuite {

    protected static ClientManager client;

    @ArquillianResource
    protected URL base;

    @BeforeAll
    static void startClient() {
        client = newClient();
    }

    /**
     * A Tyrus client for a whole test class. Named explicitly: embedded Tomcat also puts a client on
     * the classpath. Tyrus shuts its client's executors down whenever its count of open connections
     * falls to zero, and a connection opened at that moment can be left holding the dead ones (its
     * first send fails with RejectedExecutionException: seen once in RunIT on Tomcat). One connection
     * counted that never closes keeps them alive until {@link ClientManager#shutdown()}.
     */
    static ClientManager newClient() {
        ClientManager manager = ClientManager.createClient(GrizzlyClientContainer.class.getName());
        manager.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, 20_000);
        try {
            java.lang.reflect.Field field = ClientManager.class.getDeclaredField("clientActivityListener");
            field.setAccessible(true);
            Object activity = field.get(manager);
            java.lang.reflect.Method initiated = activity.getClass().getDeclaredMethod("onConnectionInitiated");
            initiated.setAccessible(true);
            initiated.invoke(activity);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Tyrus client has changed: review ContainerSuite.newClient", e);
        }
        return manager;
    }

    @AfterAll
    static void stopClient() {
        client.shutdown();
    }

    /** The container under test, as named in arquillian.xml (tomcat, wildfly, payara, jetty, glassfish, liberty). */
    static String container() {
        return System.getProperty("arquillian.launch", "");
    }

    protected URI ws(String path) {
        return Deployments.ws(base, path);
    }
}
