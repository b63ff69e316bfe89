package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /hello}: the Python websockets lecture's first example, and its client as printed. */
class HelloIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @Test
    void eachNameIsGreetedAndBadOnesAreRefusedOnTheSameConnection() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("hello"))) {
            c.session().getBasicRemote().sendText("Albert");
            assertThat(c.nextText()).isEqualTo("Hello Albert!");
            c.session().getBasicRemote().sendText("  Zoë \n");
            assertThat(c.nextText()).isEqualTo("Hello Zoë!");
            c.session().getBasicRemote().sendText("");
            assertThat(c.nextText()).isEqualTo("error: name must be 1-32 characters");
            c.session().getBasicRemote().sendText("x".repeat(33));
            assertThat(c.nextText()).isEqualTo("error: name must be 1-32 characters");
            c.session().getBasicRemote().sendText("Al\u200Bbert");
            assertThat(c.nextText()).isEqualTo("error: name must not contain control or invisible characters");
            c.session().getBasicRemote().sendBinary(ByteBuffer.wrap(new byte[]{1, 2}));
            assertThat(c.nextText()).isEqualTo("error: send your name as text");
            c.session().getBasicRemote().sendText("x".repeat(32));
            assertThat(c.nextText()).isEqualTo("Hello " + "x".repeat(32) + "!");
        }
    }

    /**
     * 512 KB of combining marks in reverse canonical order: normalised before its length was checked, it held
     * a core for most of a minute and kept every other client waiting. Now refused by its length at once.
     */
    @Test
    void aNormaliserBombIsRefusedAtOnceAndKeepsNobodyWaiting() throws Exception {
        String bomb = "a" + "\u0301".repeat(131_000) + "\u0316".repeat(131_000);
        try (TestClient bomber = TestClient.connect(client, ws("hello"));
             TestClient albert = TestClient.connect(client, ws("hello"))) {
            bomber.session().getBasicRemote().sendText(bomb);
            albert.session().getBasicRemote().sendText("Albert");
            assertThat(albert.nextText()).isEqualTo("Hello Albert!");
            assertThat(bomber.nextText()).isEqualTo("error: name must be 1-32 characters");
            bomber.session().getBasicRemote().sendText("Bob\u2800");
            assertThat(bomber.nextText()).isEqualTo("error: name must not begin or end with a character that looks like a space");
        }
    }

    @Test
    void theLecturesClientGetsItsGreeting() throws Exception {
        try (LectureClient lecture = LectureClient.run("hello_client.py", ws("hello"))) {
            assertThat(lecture.awaitExit()).as("exit code; it printed %s", lecture.lines).isZero();
            assertThat(lecture.lines).contains("Sent: Albert", "Received: Hello Albert!");
        }
    }
}
