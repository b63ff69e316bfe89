package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class EchoIT extends ContainerSuite {

    static final int LIMIT = 1 << 20; // the default maxMessageBytes

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.builtWar();
    }

    @Test
    void textComesBackUnchangedInOrder() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            String[] messages = {"hello", "", "h\u00e9llo w\u00f6rld \u20ac \uD83D\uDE00", "{\"type\":\"x\"}", " spaces \n\t"};
            for (String m : messages) {
                c.session().getBasicRemote().sendText(m);
            }
            for (String m : messages) {
                assertThat(c.nextText()).isEqualTo(m);
            }
        }
    }

    @Test
    void binaryComesBackUnchangedIncludingEmpty() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            byte[] all = new byte[256];
            for (int i = 0; i < all.length; i++) {
                all[i] = (byte) i;
            }
            c.session().getBasicRemote().sendBinary(ByteBuffer.wrap(all));
            c.session().getBasicRemote().sendBinary(ByteBuffer.allocate(0));
            assertThat(bytes(c.nextBinary())).isEqualTo(all);
            assertThat(c.nextBinary().remaining()).isZero();
        }
    }

    @Test
    void textOfExactlyTheLimitIsEchoed() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            String message = pattern(LIMIT);
            c.session().getBasicRemote().sendText(message);
            assertThat(c.nextText()).isEqualTo(message);
            assertThat(c.session().isOpen()).isTrue();
        }
    }

    @Test
    void textOneByteOverTheLimitClosesWith1009() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            c.sendExpectingClose(pattern(LIMIT + 1));
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG);
            assertThat(reason.getReasonPhrase()).isEqualTo("message exceeds 1048576 bytes");
        }
    }

    @Test
    void multiByteTextIsLimitedInBytesNotChars() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            // LIMIT / 2 + 1 two-byte chars: fewer chars than the limit, more bytes.
            c.sendExpectingClose("\u00e9".repeat(LIMIT / 2 + 1));
            assertThat(c.awaitClose().getCloseCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG);
        }
    }

    @Test
    void binaryOfExactlyTheLimitIsEchoed() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            byte[] message = pattern(LIMIT).getBytes();
            c.session().getBasicRemote().sendBinary(ByteBuffer.wrap(message));
            assertThat(bytes(c.nextBinary())).isEqualTo(message);
        }
    }

    @Test
    void binaryOneByteOverTheLimitClosesWith1009() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            c.sendExpectingClose(ByteBuffer.allocate(LIMIT + 1));
            assertThat(c.awaitClose().getCloseCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG);
        }
    }

    @Test
    void anOversizedMessageAffectsOnlyItsSender() throws Exception {
        try (TestClient bystander = TestClient.connect(client, ws("echo"));
             TestClient offender = TestClient.connect(client, ws("echo"))) {
            offender.sendExpectingClose(ByteBuffer.allocate(LIMIT + 1));
            assertThat(offender.awaitClose().getCloseCode()).isEqualTo(CloseReason.CloseCodes.TOO_BIG);
            bystander.session().getBasicRemote().sendText("still here");
            assertThat(bystander.nextText()).isEqualTo("still here");
        }
    }

    @Test
    void noGreetingByDefault() throws Exception {
        try (TestClient c = TestClient.connect(client, ws("echo"))) {
            c.session().getBasicRemote().sendText("first");
            assertThat(c.nextText()).isEqualTo("first");
        }
    }

    private static String pattern(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + i % 26);
        }
        return new String(chars);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
    }
}
