package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Deployed with heartbeatIntervalMs = 300 so that two silent intervals pass quickly. */
class HeartbeatIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSetting("socketworks.heartbeatIntervalMs", "300");
    }

    @Test
    void aClientThatAnswersNothingIsClosedWith1008() throws Exception {
        try (RawClient silent = RawClient.connect(ws("echo"), 65536)) {
            int pings = 0;
            RawClient.Frame frame;
            while ((frame = silent.read()).opcode() != RawClient.CLOSE) {
                if (frame.opcode() == RawClient.PING) {
                    pings++;
                }
            }
            assertThat(pings).as("pings before the close").isGreaterThanOrEqualTo(1);
            assertThat(frame.closeCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY.getCode());
            assertThat(frame.closeReason()).isEqualTo("no reply to ping");
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpen() throws Exception {
        try (RawClient live = RawClient.connect(ws("echo"), 65536)) {
            // Six pings answered: three times the two intervals after which a silent client is cut.
            for (int answered = 0; answered < 6; ) {
                RawClient.Frame frame = live.read();
                assertThat(frame.opcode()).as("frame before ping %d", answered).isNotEqualTo(RawClient.CLOSE);
                if (frame.opcode() == RawClient.PING) {
                    live.sendPong(frame.payload());
                    answered++;
                }
            }
            live.sendText("still here");
            RawClient.Frame frame;
            while ((frame = live.read()).opcode() == RawClient.PING) {
                live.sendPong(frame.payload());
            }
            assertThat(frame.opcode()).isEqualTo(RawClient.TEXT);
            assertThat(frame.text()).isEqualTo("still here");
        }
    }
}
