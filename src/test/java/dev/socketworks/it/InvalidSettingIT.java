package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An invalid setting must stop the deployment, not leave a WAR running with a limit nobody chose.
 * {@link ValidSettingIT} is its positive control: the same WAR with a valid value is served.
 * Adapters differ in whether and how they report the failed start (WildFly throws with the message,
 * Liberty with a timeout, embedded Tomcat only logs "Context startup failed"), so the test checks what a
 * user sees: nothing is served.
 */
@ExtendWith(ArquillianExtension.class)
class InvalidSettingIT {

    private static final Logger LOG = Logger.getLogger(InvalidSettingIT.class.getName());

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "invalid-setting", managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.withSetting("socketworks.maxMessageBytes", "lots");
    }

    @Test
    void anInvalidValueStopsTheDeployment() throws Exception {
        assertNothingServedAfterDeploying(deployer, "invalid-setting");
    }

    /**
     * Deploys a WAR expected to fail and checks what a user sees: nothing is served. The wording of
     * the failure is unit-tested; adapters pass it on or not (WildFly does, Liberty reports a
     * timeout), so only the outcome is asserted.
     */
    static void assertNothingServedAfterDeploying(Deployer deployer, String deployment) throws Exception {
        try {
            deployer.deploy(deployment);
        } catch (Exception e) { // adapters throw Arquillian's checked DeploymentException undeclared
            LOG.log(Level.INFO, "deployment refused as expected: " + e.getMessage());
        }
        try {
            URI start = Deployments.configuredBase();
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(start).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("status of %s", start).isNotEqualTo(200);
            assertThat(page.body()).doesNotContain("<title>Socketworks</title>");
        } catch (IOException connectionRefused) {
            LOG.log(Level.INFO, "server not listening, as expected: " + connectionRefused);
        } finally {
            try {
                deployer.undeploy(deployment);
            } catch (Exception notDeployed) {
                LOG.log(Level.FINE, "nothing to undeploy", notDeployed);
            }
        }
    }
}
