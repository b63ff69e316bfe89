package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An unusable routes file must stop the deployment: here a misspelt limit, which would otherwise
 * leave the default in place. The message naming route and field is checked in RoutesFileTest.
 */
@ExtendWith(ArquillianExtension.class)
class InvalidRoutesIT {

    @ArquillianResource
    private Deployer deployer;

    @Deployment(name = "invalid-routes", managed = false, testable = false)
    static WebArchive deployment() throws IOException {
        Path file = Path.of("target", "it-invalid-routes-" + ContainerSuite.container() + ".json").toAbsolutePath();
        Files.writeString(file, "{\"routes\": [{\"name\": \"cat\", \"command\": [\"cat\"], \"maxProceses\": 2}]}");
        return Deployments.withSetting("socketworks.routes", file.toString());
    }

    @Test
    void aBadRoutesFileStopsTheDeployment() throws Exception {
        InvalidSettingIT.assertNothingServedAfterDeploying(deployer, "invalid-routes");
    }
}
