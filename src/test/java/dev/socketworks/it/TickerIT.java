package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /ticker}: the Python websockets lecture's broadcast example, and its client as printed. */
class TickerIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSetting("socketworks.tickerIntervalMs", "200"); // the default, 3 s, makes a slow test
    }

    @Test
    void everyClientGetsTheSameTicksAndWhatItSendsIsRefused() throws Exception {
        try (TestClient first = TestClient.connect(client, ws("ticker"));
             TestClient second = TestClient.connect(client, ws("ticker"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(first.nextText()).isEqualTo("Hello!");
                assertThat(second.nextText()).isEqualTo("Hello!");
            }
            first.session().getBasicRemote().sendText("anyone there?");
            String reply;
            do {
                reply = first.nextText();
            } while (reply.equals("Hello!"));
            assertThat(reply).isEqualTo("error: /ticker only sends");
            assertThat(second.nextText()).as("the other client goes on").isEqualTo("Hello!");
        }
    }

    @Test
    void theLecturesClientPrintsEachTick() throws Exception {
        try (LectureClient lecture = LectureClient.run("broadcast_client.py", ws("ticker"))) {
            List<String> printed = lecture.awaitLines(3, 20);
            assertThat(printed.subList(0, 3)).containsOnly("Received: Hello!");
        }
    }
}
