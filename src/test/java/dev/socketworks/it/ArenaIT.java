package dev.socketworks.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /arena/{name}}: text commands in, JSON state changes out; its limits. */
class ArenaIT extends ContainerSuite {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSettings(Map.of("socketworks.arenaMaxPlayers", "2", "socketworks.arenaMaxArenas", "3"));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** The next message of {@code type}, skipping the others (leaderboards, deltas). */
    private static JsonObject next(TestClient client, String type) throws InterruptedException {
        while (true) {
            JsonObject message = json(client.nextText());
            if (message.getString("type").equals(type)) {
                return message;
            }
        }
    }

    @Test
    void aPlayerJoinsMovesSpeaksAndLeaves() throws Exception {
        try (TestClient ann = TestClient.connect(client, ws("arena/play"), null, List.of("arena.v1"))) {
            assertThat(ann.session().getNegotiatedSubprotocol()).isEqualTo("arena.v1");
            ann.session().getBasicRemote().sendText("join Ann");
            JsonObject snapshot = next(ann, "snapshot");
            int you = snapshot.getInt("you");
            assertThat(snapshot.getJsonObject("world").getInt("w")).isEqualTo(4000);
            assertThat(snapshot.getJsonArray("players").getJsonObject(0).getString("name")).isEqualTo("Ann");

            ann.session().getBasicRemote().sendText("aim 1 0\nsay hello arena");
            assertThat(next(ann, "say").getString("text")).isEqualTo("hello arena");
            JsonObject moved;
            do {
                moved = next(ann, "delta");
            } while (moved.getJsonArray("moved").isEmpty());
            assertThat(moved.getJsonArray("moved").getJsonArray(0).getInt(0)).isEqualTo(you);

            ann.session().getBasicRemote().sendText("fly");
            assertThat(next(ann, "error").getJsonObject("payload").getString("code")).isEqualTo("unknown-command");
            ann.session().getBasicRemote().sendText("leave\naim 1 1");
            assertThat(next(ann, "error").getJsonObject("payload").getString("code")).isEqualTo("not-playing");
            assertThat(ann.session().isOpen()).isTrue();
        }
    }

    @Test
    void anArenaTakesArenaMaxPlayersAndOneMoreGets1013() throws Exception {
        try (TestClient first = TestClient.connect(client, ws("arena/full"));
             TestClient second = TestClient.connect(client, ws("arena/full"));
             TestClient third = TestClient.connect(client, ws("arena/full"))) {
            CloseReason refused = third.awaitClose();
            assertThat(refused.getCloseCode().getCode()).isEqualTo(1013);
            assertThat(refused.getReasonPhrase()).isEqualTo("arena full is full (arenaMaxPlayers 2)");
            first.session().getBasicRemote().sendText("join First");
            assertThat(next(first, "snapshot").getJsonArray("players")).isNotEmpty();
        }
        try (TestClient again = TestClient.connect(client, ws("arena/full"))) {
            again.session().getBasicRemote().sendText("join Again");
            assertThat(next(again, "snapshot").getJsonArray("players")).as("places free when clients leave").isNotEmpty();
        }
    }

    @Test
    void anInvalidArenaNameIsRefused() throws Exception {
        try (TestClient bad = TestClient.connect(client, ws("arena/" + "x".repeat(65)))) {
            CloseReason closed = bad.awaitClose();
            assertThat(closed.getCloseCode().getCode()).isEqualTo(1008);
            assertThat(closed.getReasonPhrase()).startsWith("invalid arena name");
        }
    }
}
