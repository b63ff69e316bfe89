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

    /**
     * A network drop: the chat member's connection ends with no close frame, or goes silent. Either
     * way the room hears chat-leave, once: from the container noticing the TCP close, from a send to
     * the dead connection failing, or at the latest from the heartbeat.
     */
    @Test
    void aChatMemberWhoseNetworkDropsIsAnnouncedAsLeftOnce() throws Exception {
        String room = "drop-" + System.nanoTime() % 1_000_000_000;
        try (ChatClient watcher = ChatClient.connect(client, ws("chat/" + room), "chat.v1")) {
            watcher.join("Watcher");
            watcher.expect("chat-join:Watcher", "chat-presence:Watcher:Watcher");
            for (boolean closeTcp : new boolean[]{true, false}) {
                try (RawClient dropped = RawClient.connect(ws("chat/" + room), 1 << 16)) {
                    dropped.sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Dropped\"}}");
                    watcher.expect("chat-join:Dropped");
                    if (!closeTcp) {
                        // Silent: open but answering nothing, as behind a dead NAT.
                        watcher.expect("chat-leave:Dropped");
                    }
                } // closeTcp: the connection ends with no close frame
                if (closeTcp) {
                    watcher.expect("chat-leave:Dropped");
                }
            }
            watcher.say("Watcher", "still here");
            watcher.expect("chat-message:Watcher:still here"); // and no second leave before it
        }
    }
}
