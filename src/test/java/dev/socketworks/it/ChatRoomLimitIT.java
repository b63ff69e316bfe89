package dev.socketworks.it;

import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * chatMaxRooms at its boundary, with the cap set to 2 in web.xml as an operator would. A room is
 * taken by a join (or resume), not by connecting, and the lobby is always available.
 */
class ChatRoomLimitIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        // A short heartbeat, as in ChatIT: on Tyrus a dropped @OnClose is found by the next ping.
        return Deployments.withSettings(java.util.Map.of("socketworks.chatMaxRooms", "2",
                "socketworks.heartbeatIntervalMs", "2000"));
    }

    @Test
    void aThirdRoomIsRefusedWith1013UntilAnEmptyRoomMakesWay() throws Exception {
        try (TestClient a = TestClient.connect(client, ws("chat/a"), null, List.of("chat.v1"))) {
            TestClient b = TestClient.connect(client, ws("chat/b"), null, List.of("chat.v1"));
            // A client's onOpen may run before the server's (Tyrus): a join answered proves the
            // server holds the room for that connection.
            for (TestClient holder : List.of(a, b)) {
                holder.session().getBasicRemote().sendText("{\"type\":\"chat-join\"}");
                assertThat(holder.nextText()).contains("chat-join");
            }
            try (TestClient refused = TestClient.connect(client, ws("chat/c"), null, List.of("chat.v1"))) {
                refused.sendExpectingClose("{\"type\":\"chat-join\"}"); // a room is taken by joining
                CloseReason reason = refused.awaitClose();
                assertThat(reason.getCloseCode().getCode()).isEqualTo(1013);
                assertThat(reason.getReasonPhrase()).contains("chatMaxRooms");
            }
            try (TestClient sameRoom = TestClient.connect(client, ws("chat/a"), null, List.of("chat.v1"))) {
                sameRoom.session().getBasicRemote().sendText("{\"type\":\"chat-join\"}");
                assertThat(sameRoom.nextText()).contains("chat-join");
            }

            b.close();
            b.awaitClose();
            // The server may still be ending b's session when the close reaches the client: poll.
            long deadline = System.nanoTime() + TestClient.DEADLINE.toNanos();
            while (true) {
                try (TestClient c = TestClient.connect(client, ws("chat/c"), null, List.of("chat.v1"))) {
                    String first;
                    try {
                        c.session().getBasicRemote().sendText("{\"type\":\"chat-join\"}");
                        first = c.nextTextOrClose();
                    } catch (IllegalStateException refusedAlready) {
                        first = null;
                    }
                    if (first != null) {
                        assertThat(first).contains("chat-join");
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("room c accepted once b is empty").isLessThan(deadline);
            }
        }
    }

    @Test
    void connectingWithoutJoiningTakesNoRoomAndTheLobbyIsAlwaysOpen() throws Exception {
        List<TestClient> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) { // more connections to distinct rooms than there are places
                idle.add(TestClient.connect(client, ws("chat/idle-" + i), null, List.of("chat.v1")));
            }
            // The previous test's rooms may still be held for a moment (on Tyrus until the next ping
            // finds a dropped @OnClose): joins are retried while refused, up to the deadline. Were the
            // idle connections holding places, x and y would never get theirs.
            try (TestClient x = joinedOnceAPlaceIsFree("chat/x");
                 TestClient y = joinedOnceAPlaceIsFree("chat/y")) {
                // Both places are held: the lobby still opens, by its three paths' shared room.
                try (TestClient lobby = TestClient.connect(client, ws("chat"), null, List.of("chat.v1"))) {
                    lobby.session().getBasicRemote().sendText("{\"type\":\"chat-join\"}");
                    assertThat(lobby.nextText()).contains("chat-join");
                }
            }
        } finally {
            for (TestClient c : idle) {
                c.close();
            }
        }
    }

    /** Connects to {@code path} and joins, connecting again while the join is refused with 1013. */
    private TestClient joinedOnceAPlaceIsFree(String path) throws Exception {
        long deadline = System.nanoTime() + TestClient.DEADLINE.toNanos();
        while (true) {
            TestClient c = TestClient.connect(client, ws(path), null, List.of("chat.v1"));
            c.sendExpectingClose("{\"type\":\"chat-join\"}");
            String first = c.nextTextOrClose();
            if (first != null) {
                assertThat(first).contains("chat-join");
                return c;
            }
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(1013);
            assertThat(System.nanoTime()).as("a place in %s within the deadline", path).isLessThan(deadline);
        }
    }
}
