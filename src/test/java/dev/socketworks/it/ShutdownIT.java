package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.glassfish.tyrus.client.ClientManager;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Undeploying the WAR closes every open session with 1001, whatever the endpoint. */
@ExtendWith(ArquillianExtension.class)
class ShutdownIT {

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "shutdown", managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @Test
    void undeployClosesOpenSessionsWith1001() throws Exception {
        // The embedded Jetty adapter removes the handler on undeploy but stops the web application
        // only when Jetty itself stops, so there is no undeploy to observe there.
        assumeFalse(ContainerSuite.container().equals("jetty"),
                "arquillian-jetty-embedded-12-ee10 does not stop web applications on undeploy");
        ClientManager client = ContainerSuite.newClient();
        deployer.deploy("shutdown");
        boolean undeployed = false;
        try {
            URI base = Deployments.configuredBase();
            try (TestClient echo = TestClient.connect(client, Deployments.ws(base, "echo"));
                 TestClient broadcast = TestClient.connect(client, Deployments.ws(base, "broadcast"))) {
                echo.session().getBasicRemote().sendText("ready");
                assertThat(echo.nextText()).isEqualTo("ready");
                broadcast.session().getBasicRemote().sendText("ready");
                assertThat(broadcast.nextText()).isEqualTo("ready");

                deployer.undeploy("shutdown");
                undeployed = true;

                // The README's reason on every container (Tomcat used to send its own, "The web application is stopping").
                for (TestClient closed : List.of(echo, broadcast)) {
                    CloseReason reason = closed.awaitClose();
                    assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.GOING_AWAY);
                    assertThat(reason.getReasonPhrase()).isEqualTo("server shutting down");
                }
            }
        } finally {
            if (!undeployed) {
                deployer.undeploy("shutdown");
            }
            client.shutdown();
        }
    }
}
