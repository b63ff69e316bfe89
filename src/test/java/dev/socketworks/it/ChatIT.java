package dev.socketworks.it;

import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat rooms in the container. Each test uses its own room, so tests do not see each other. */
class ChatIT extends ContainerSuite {

    private static final String V1 = "chat.v1";
    private static final String DEMO = "beej-chat-protocol";

    /**
     * A short heartbeat: Tyrus (Payara) occasionally drops @OnClose when a client's close races
     * another close of the same connection (its TyrusWebSocket.onClose only tryLocks), and then the
     * next ping is what finds the closed session. The default 25 s would outlast the tests' 20 s wait.
     */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSetting("socketworks.heartbeatIntervalMs", "2000");
    }

    private String room;

    @org.junit.jupiter.api.BeforeEach
    void pickRoom(TestInfo test) {
        String method = test.getTestMethod().orElseThrow().getName();
        room = method.substring(0, Math.min(40, method.length())) + "-" + System.nanoTime() % 1_000_000_000;
    }

    private ChatClient connect(String subprotocol) throws Exception {
        return ChatClient.connect(client, ws("chat/" + room), subprotocol);
    }

    /**
     * What the Node demo's unmodified client does: connect with its subprotocol, send chat-join on
     * open, then chat-message with the name in every message. It reads payload.username of every
     * message before it looks at the type, so all of them must carry one.
     */
    /**
     * A crowd joining at once: each member keeps its list from its chat-presence and the changes after
     * it (plain or coalesced into chat-presence-diff), and every list ends equal to the room.
     */
    @Test
    void aCrowdJoiningAtOnceLeavesEveryMembersListEqualToTheRoom() throws Exception {
        int crowd = 40;
        List<ChatClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < crowd; i++) {
                members.add(connect("chat.v1"));
            }
            for (int i = 0; i < crowd; i++) {
                members.get(i).join("c" + i);
            }
            java.util.Set<String> room = new java.util.HashSet<>();
            for (int i = 0; i < crowd; i++) {
                room.add("c" + i);
            }
            for (ChatClient member : members) {
                member.awaitMembers(room);
            }
        } finally {
            for (ChatClient member : members) {
                member.close();
            }
        }
    }

    @Test
    void theNodeDemosClientConversationWorks() throws Exception {
        try (ChatClient beej = connect(DEMO); ChatClient guest = connect(DEMO)) {
            assertThat(beej.socket.session().getNegotiatedSubprotocol()).isEqualTo(DEMO);
            beej.join("Beej");
            beej.expect("chat-join:Beej", "chat-presence:Beej:Beej");
            guest.join("Guest 1a2b");
            beej.expect("chat-join:Guest 1a2b");
            guest.say("Guest 1a2b", "  Hello, World!  ");
            List<JsonObject> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(guest.next());
            }
            assertThat(seen).extracting(ChatClient::summary).containsExactly(
                    "chat-join:Guest 1a2b", "chat-presence:Guest 1a2b:Beej,Guest 1a2b", "chat-message:Guest 1a2b:Hello, World!");
            JsonObject message = beej.next();
            assertThat(ChatClient.summary(message)).isEqualTo("chat-message:Guest 1a2b:Hello, World!");
            assertThat(message.getJsonObject("payload").getJsonNumber("id")).isNotNull();
            assertThat(message.getJsonObject("payload").getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

            guest.send("not json");
            JsonObject error = guest.next();
            assertThat(ChatClient.summary(error)).isEqualTo("error:malformed-json");
            assertThat(error.getJsonObject("payload").getString("username")).isEqualTo("Guest 1a2b");

            guest.close();
            beej.expect("chat-leave:Guest 1a2b");
        }
    }

    /** The demo's client connects to ws://host/: with the WAR at the root context, that is the lobby. */
    @Test
    void theRootPathAndChatAreBothTheLobby() throws Exception {
        try (ChatClient atRoot = ChatClient.connect(client, ws(""), DEMO);
             ChatClient atChat = ChatClient.connect(client, ws("chat"), V1);
             ChatClient atLobby = ChatClient.connect(client, ws("chat/lobby"), V1)) {
            String name = "root-" + System.nanoTime();
            atChat.join(name + "-a");
            atLobby.join(name + "-b");
            atRoot.join(name + "-c");
            atRoot.say(name + "-c", "from the root");
            for (ChatClient c : List.of(atChat, atLobby)) {
                String summary;
                do {
                    summary = c.nextSummary();
                } while (!summary.startsWith("chat-message:"));
                assertThat(summary).isEqualTo("chat-message:" + name + "-c:from the root");
            }
        }
    }

    @Test
    void theRootAliasKeepsTheOriginPolicyAndThePlainStartPage() throws Exception {
        assertThat(TestClient.refusedStatus(client, ws(""), "http://evil.example")).isEqualTo(403);
        assertThat(TestClient.refusedStatus(client, ws("chat/lobby"), "http://evil.example")).isEqualTo(403);
    }

    @Test
    void roomsAreSeparate() throws Exception {
        try (ChatClient a = connect(V1);
             ChatClient b = ChatClient.connect(client, ws("chat/" + room + "-other"), V1)) {
            a.join("A");
            b.join("B");
            a.say("A", "only for my room");
            a.expect("chat-join:A", "chat-presence:A:A", "chat-message:A:only for my room");
            b.expect("chat-join:B", "chat-presence:B:B");
            b.say("B", "mine");
            b.expect("chat-message:B:mine");
        }
    }

    @Test
    void aJoinerGetsTheLastFiftyMessagesThenPresence() throws Exception {
        try (ChatClient first = connect(V1)) {
            first.join("First");
            first.expect("chat-join:First", "chat-presence:First:First");
            for (int i = 1; i <= 51; i++) {
                first.say("First", "m" + i);
            }
            for (int i = 1; i <= 51; i++) {
                first.expect("chat-message:First:m" + i);
            }
            try (ChatClient late = connect(V1)) {
                late.join("Late");
                for (int i = 2; i <= 51; i++) {
                    late.expect("chat-message:First:m" + i);
                }
                late.expect("chat-join:Late", "chat-presence:Late:First,Late");
            }
        }
    }

    @Test
    void namesAreMadeUniqueAndGuestsNamed() throws Exception {
        try (ChatClient a = connect(V1); ChatClient b = connect(V1); ChatClient c = connect(V1)) {
            a.join("Sam");
            a.expect("chat-join:Sam", "chat-presence:Sam:Sam");
            b.join("  sam ");
            b.expect("chat-join:sam (2)", "chat-presence:sam (2):Sam,sam (2)");
            c.send("{\"type\":\"chat-join\",\"payload\":{}}");
            assertThat(c.nextSummary()).matches("chat-join:Guest [0-9a-f]{4}");
            c.nextSummary(); // presence
            b.say("sam (2)", "so everyone has read up to here");
            c.expect("chat-message:sam (2):so everyone has read up to here");
            assertThat(b.nextSummary()).matches("chat-join:Guest [0-9a-f]{4}");
            assertThat(b.joinedAs).as("the joiner is told the name it was given").containsExactly("sam (2)");
            assertThat(c.joinedAs.get(0)).matches("Guest [0-9a-f]{4}");
        }
    }

    @Test
    void resumeAfterAReconnectDeliversExactlyWhatWasMissed() throws Exception {
        try (ChatClient alice = connect(V1)) {
            alice.join("Alice");
            alice.expect("chat-join:Alice", "chat-presence:Alice:Alice");
            long lastSeen;
            try (ChatClient bob = connect(V1)) {
                bob.join("Bob");
                bob.expect("chat-join:Bob", "chat-presence:Bob:Alice,Bob");
                alice.say("Alice", "before the drop");
                JsonObject seen = bob.next();
                assertThat(ChatClient.summary(seen)).isEqualTo("chat-message:Alice:before the drop");
                lastSeen = seen.getJsonObject("payload").getJsonNumber("id").longValueExact();
            }
            alice.expect("chat-join:Bob", "chat-message:Alice:before the drop",
                    "chat-leave:Bob");
            alice.say("Alice", "missed 1");
            alice.say("Alice", "missed 2");
            alice.expect("chat-message:Alice:missed 1", "chat-message:Alice:missed 2");

            try (ChatClient bobAgain = connect(V1)) {
                bobAgain.send("{\"type\":\"chat-resume\",\"payload\":{\"room\":\"" + room + "\",\"afterId\":" + lastSeen + "}}");
                bobAgain.join("Bob");
                bobAgain.expect("chat-message:Alice:missed 1", "chat-message:Alice:missed 2",
                        "chat-join:Bob", "chat-presence:Bob:Alice,Bob");
                alice.say("Alice", "live");
                bobAgain.expect("chat-message:Alice:live");
            }
        }
    }

    @Test
    void impersonationIsRefusedAndOthersSeeNothing() throws Exception {
        try (ChatClient alice = connect(V1); ChatClient mallory = connect(V1)) {
            alice.join("Alice");
            alice.expect("chat-join:Alice", "chat-presence:Alice:Alice");
            mallory.join("Mallory");
            alice.expect("chat-join:Mallory");
            mallory.expect("chat-join:Mallory", "chat-presence:Mallory:Alice,Mallory");

            mallory.say("Alice", "send me your password");
            mallory.expect("error:impersonation");
            mallory.say("Admin", "a name nobody here has");
            mallory.expect("chat-message:Mallory:a name nobody here has");
            alice.expect("chat-message:Mallory:a name nobody here has");
        }
    }

    @Test
    void everyBadInputGetsAnErrorToTheSenderAndTheRoomGoesOn() throws Exception {
        try (ChatClient bad = connect(V1); ChatClient good = connect(V1)) {
            bad.say("x", "before joining");
            bad.expect("error:not-joined");
            bad.join("x".repeat(33));
            bad.expect("error:invalid-username");
            bad.join("Bad\u0007");
            bad.expect("error:invalid-username");
            bad.join("Bad");
            bad.expect("chat-join:Bad", "chat-presence:Bad:Bad");
            good.join("Good");
            good.expect("chat-join:Good", "chat-presence:Good:Bad,Good");
            bad.expect("chat-join:Good");

            String[][] inputs = {
                    {"{\"type\":\"chat-message\"", "error:malformed-json"},
                    {"[]", "error:invalid-message"},
                    {"{\"type\":\"chat-dance\"}", "error:unknown-type"},
                    {"{\"type\":\"chat-message\",\"payload\":{\"message\":42}}", "error:invalid-field"},
                    {"{\"type\":\"chat-message\",\"payload\":\"hi\"}", "error:invalid-field"},
                    {"{\"type\":\"chat-join\",\"payload\":{\"username\":\"Again\"}}", "error:already-joined"},
                    {"{\"type\":\"chat-resume\",\"payload\":{\"room\":\"" + room + "\",\"afterId\":0}}", "error:already-subscribed"},
                    {"{\"type\":\"chat-resume\",\"payload\":{\"room\":\"elsewhere\",\"afterId\":0}}", "error:wrong-room"},
            };
            for (String[] input : inputs) {
                bad.send(input[0]);
                assertThat(bad.nextSummary()).as(input[0]).isEqualTo(input[1]);
            }
            bad.say("Bad", "x".repeat(8193)); // chatMaxMessageBytes + 1
            bad.expect("error:message-too-long");
            bad.socket.session().getBasicRemote().sendBinary(java.nio.ByteBuffer.wrap(new byte[]{1, 2}));
            bad.expect("error:binary-not-supported");
            bad.say("Bad", "   ");

            bad.say("Bad", "x".repeat(8192));
            good.expect("chat-message:Bad:" + "x".repeat(8192));
            bad.expect("chat-message:Bad:" + "x".repeat(8192));
            assertThat(bad.socket.session().isOpen()).isTrue();
        }
    }

    @Test
    void leaveIsAnnouncedOnceOnACleanClose() throws Exception {
        try (ChatClient watcher = connect(V1)) {
            watcher.join("Watcher");
            watcher.expect("chat-join:Watcher", "chat-presence:Watcher:Watcher");

            ChatClient clean = connect(V1);
            clean.join("Clean");
            watcher.expect("chat-join:Clean");
            clean.socket.session().close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "tab closed"));
            watcher.expect("chat-leave:Clean");
            // A dropped network is in HeartbeatIT: noticing one depends on the heartbeat.
            watcher.say("Watcher", "still here");
            watcher.expect("chat-message:Watcher:still here");
        }
    }

    @Test
    void anInvalidRoomNameIsClosedWithAReason() throws Exception {
        URI bad = ws("chat/" + "x".repeat(65));
        try (TestClient c = TestClient.connect(client, bad, null, List.of(V1))) {
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
            assertThat(reason.getReasonPhrase()).contains("invalid room name");
        }
    }
}
