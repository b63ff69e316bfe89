package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The positive control of {@link InvalidSettingIT}: the same WAR, built the same way with a valid
 * value of the same setting, is served and the value applies. (A class of its own: Arquillian wants
 * one archive name per class, and Liberty cannot run two copies of the WAR side by side.)
 */
class ValidSettingIT extends ContainerSuite {

    private static final int LIMIT = 2048;

    @Test
    void theSameSettingWithAValidValueIsServedAndApplies() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            c.session().getBasicRemote().sendText("x".repeat(LIMIT));
            assertThat(c.nextText()).hasSize(LIMIT);
            c.sendExpectingClose("x".repeat(LIMIT + 1));
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG);
            assertThat(reason.getReasonPhrase()).isEqualTo("message exceeds " + LIMIT + " bytes");
        }
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSetting("socketworks.maxMessageBytes", Integer.toString(LIMIT));
    }
}
