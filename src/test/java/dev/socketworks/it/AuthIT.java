package dev.socketworks.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auth=token} on every container: who may connect is decided before the upgrade (401 without
 * valid credentials, 403 without a right to the path, never a 101 then a close), by each carrier.
 * Guests may read the lobby only (guestRights), as an operator might set it.
 */
class AuthIT extends ContainerSuite {

    private static final String SECRET = "an HS256 secret of at least 32 bytes, for AuthIT only";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.withSettings(Map.of("socketworks.auth", "token", "socketworks.tokenSecret", SECRET,
                "socketworks.guestRights", "chat-read:lobby", "socketworks.tokenGraceMs", "500",
                "socketworks.maxConnectionsPerUser", "3", "socketworks.heartbeatIntervalMs", "2000"));
    }

    /**
     * Each token its own user: a connection whose client vanished without a close frame stays counted
     * against its user until the server notices (on Tyrus, at the next ping), and must not fill another
     * test's user.
     */
    private static String token(List<String> rights, Instant expires, String secret) throws Exception {
        return token("u-" + java.util.UUID.randomUUID(), rights, expires, secret);
    }

    private static String token(String subject, List<String> rights, Instant expires, String secret) throws Exception {
        return token(subject, "Ann", rights, expires, secret);
    }

    private static String token(String subject, String name, List<String> rights, Instant expires, String secret) {
        return Tokens.hs256(secret, subject, name, rights, expires);
    }

    private static String valid(String... rights) throws Exception {
        return token(List.of(rights), Instant.now().plusSeconds(300), SECRET);
    }

    private static String status(String head) {
        return head.substring(0, head.indexOf("\r\n"));
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Test
    void withoutCredentialsItIs401WithABearerChallenge() throws Exception {
        String head = RawClient.handshakeHead(ws("echo"), "");
        assertThat(status(head)).contains(" 401");
        assertThat(header(head, "WWW-Authenticate")).startsWith("Bearer realm=\"socketworks\"");
    }

    @Test
    void aBadTokenIs401NamingWhy() throws Exception {
        String expired = token(List.of("echo"), Instant.now().minusSeconds(600), SECRET);
        String head = RawClient.handshakeHead(URI.create(ws("echo") + "?access_token=" + expired), "");
        assertThat(status(head)).contains(" 401");
        assertThat(header(head, "WWW-Authenticate")).contains("error=\"invalid_token\"").contains("token expired");

        String forged = token(List.of("echo"), Instant.now().plusSeconds(300), "another secret of at least thirty-two bytes");
        head = RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + forged + "\r\n");
        assertThat(header(head, "WWW-Authenticate")).contains("invalid signature");

        head = RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + "a".repeat(64 * 1024 - 100) + "\r\n");
        assertThat(status(head)).as("a 64 KiB token: refused, by us or by the container's header limit").containsAnyOf(" 401", " 400", " 413", " 431");

        head = RawClient.handshakeHead(ws("echo"), "Sec-WebSocket-Protocol: echo.v1, bearer." + valid("echo")
                + ", bearer." + valid("echo") + "\r\n");
        assertThat(header(head, "WWW-Authenticate")).contains("more than one bearer entry");

        String fifty = String.join(", ", java.util.Collections.nCopies(50, "bearer.x.y.z"));
        head = RawClient.handshakeHead(ws("echo"), "Sec-WebSocket-Protocol: echo.v1, " + fifty + "\r\n");
        assertThat(header(head, "WWW-Authenticate")).as("50 bearer entries").contains("more than one bearer entry");
        assertThat(status(RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + valid("echo") + "\r\n")))
                .as("and nothing else broke").contains(" 101");
    }

    @Test
    void aValidTokenWithoutTheRightIs403() throws Exception {
        String head = RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + valid("chat:*") + "\r\n");
        assertThat(status(head)).contains(" 403");
    }

    @Test
    void eachCarrierOpensTheConnectionAndTheBearerEntryIsNeverEchoed() throws Exception {
        String bySubprotocol = RawClient.handshakeHead(ws("echo"),
                "Sec-WebSocket-Protocol: echo.v1, bearer." + valid("echo") + "\r\n");
        assertThat(status(bySubprotocol)).contains(" 101");
        assertThat(header(bySubprotocol, "Sec-WebSocket-Protocol")).isEqualTo("echo.v1");

        assertThat(status(RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + valid("echo") + "\r\n"))).contains(" 101");
        assertThat(status(RawClient.handshakeHead(URI.create(ws("echo") + "?access_token=" + valid("echo")), ""))).contains(" 101");
        assertThat(status(RawClient.handshakeHead(ws("chat/team"), "Authorization: Bearer " + valid("chat:team") + "\r\n")))
                .contains(" 101");
    }

    @Test
    void guestsGetOnlyTheirRights() throws Exception {
        assertThat(status(RawClient.handshakeHead(ws("chat"), ""))).as("guests may read the lobby").contains(" 101");
        assertThat(status(RawClient.handshakeHead(ws("chat/other"), ""))).as("not another room: a token could open it").contains(" 401");
        assertThat(status(RawClient.handshakeHead(ws("run/cat"), ""))).contains(" 401");
        assertThat(status(RawClient.handshakeHead(ws("chat/other"), "Authorization: Bearer " + valid("echo") + "\r\n")))
                .as("a user without the right").contains(" 403");
        assertThat(status(RawClient.handshakeHead(ws(""), "Sec-WebSocket-Protocol: chat.v1\r\n")))
                .as("/ by the chat subprotocol: the lobby").contains(" 101");
        assertThat(status(RawClient.handshakeHead(ws(""), "Sec-WebSocket-Protocol: chat.v1\r\nAuthorization: Bearer " + valid("echo") + "\r\n")))
                .as("/ for the lobby, as a user without chat rights").contains(" 403");
    }

    private TestClient as(String path, String subprotocol, String... rights) throws Exception {
        return TestClient.connect(client, ws(path), null, List.of(subprotocol, "bearer." + valid(rights)));
    }

    /** Rights for actions inside a connection: refused with the service's error, the connection kept. */
    @Test
    void aReadOnlyMemberMayReadButNotSpeak() throws Exception {
        try (TestClient reader = as("chat/team", "chat.v1", "chat-read:team")) {
            assertThat(reader.session().getNegotiatedSubprotocol()).isEqualTo("chat.v1");
            reader.session().getBasicRemote().sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Rea\"}}");
            String seen = reader.nextText();
            while (!seen.contains("chat-presence")) { // joined: the member list comes last
                seen = reader.nextText();
            }
            reader.session().getBasicRemote().sendText("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi\"}}");
            assertThat(reader.nextText()).contains("\"forbidden\"").contains("chat:team");
            assertThat(reader.session().isOpen()).isTrue();
        }
    }

    @Test
    void aTotalsReaderMayNotAddAndAWatcherMayNotPlay() throws Exception {
        try (TestClient reader = as("totals", "totals.text", "totals:read")) {
            reader.nextText(); // the current total
            reader.session().getBasicRemote().sendText("5");
            assertThat(reader.nextText()).startsWith("error:").contains("totals:add");
        }
        try (TestClient watcher = as("arena/duel", "arena.v1", "arena-watch:duel")) {
            watcher.session().getBasicRemote().sendText("join Wat");
            String answer = watcher.nextText();
            while (!answer.contains("\"error\"")) {
                answer = watcher.nextText();
            }
            assertThat(answer).contains("\"forbidden\"");
        }
    }

    @Test
    void aBroadcastReaderThatPublishesIsClosedWith1008() throws Exception {
        try (TestClient reader = as("broadcast", "broadcast.v1", "broadcast:read")) {
            reader.sendExpectingClose("hello");
            jakarta.websocket.CloseReason reason = reader.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
            assertThat(reason.getReasonPhrase()).contains("broadcast:publish");
        }
    }

    @Test
    void aConnectionEndsWhenItsTokenExpires() throws Exception {
        String shortLived = token(List.of("echo"), Instant.now().plusSeconds(2), SECRET);
        try (TestClient echo = TestClient.connect(client, ws("echo"), null, List.of("echo.v1", "bearer." + shortLived))) {
            jakarta.websocket.CloseReason reason = echo.awaitClose(); // exp in 2 s, plus 500 ms of grace
            assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
            assertThat(reason.getReasonPhrase()).isEqualTo("token expired");
        }
    }

    /** maxConnectionsPerUser (3 here): a fourth connection of one user is refused before the upgrade, until one closes. */
    @Test
    void oneUserOpensAtMostMaxConnectionsPerUser() throws Exception {
        String capped = token("capped-user", List.of("echo"), Instant.now().plusSeconds(300), SECRET);
        List<String> offer = List.of("echo.v1", "bearer." + capped);
        TestClient first = TestClient.connect(client, ws("echo"), null, offer);
        try (TestClient second = TestClient.connect(client, ws("echo"), null, offer);
             TestClient third = TestClient.connect(client, ws("echo"), null, offer)) {
            // A client's onOpen may run before the server's (Tyrus): an echo answered proves the server counted it.
            for (TestClient open : List.of(first, second, third)) {
                open.session().getBasicRemote().sendText("counted?");
                assertThat(open.nextText()).isEqualTo("counted?");
            }
            String head = RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + capped + "\r\n");
            assertThat(status(head)).contains(" 429");
            assertThat(status(RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + valid("echo") + "\r\n")))
                    .as("another user").contains(" 101");
            first.close();
            first.awaitClose();
            // The server ends the first session asynchronously: a place again soon after.
            dev.socketworks.testing.Poll.until(TestClient.DEADLINE, "one closed: a place again", () ->
                    status(RawClient.handshakeHead(ws("echo"), "Authorization: Bearer " + capped + "\r\n")).contains(" 101"));
        }
    }

    private static void join(TestClient member, String username) throws Exception {
        member.session().getBasicRemote().sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + username + "\"}}");
    }

    /**
     * Identity in chat: a user's name is its token's, whatever it asks; its second connection is the
     * same member (no second chat-join, one chat-leave when the last goes); a guest asking for that
     * name gets one the room makes.
     */
    @Test
    void aUsersNameIsItsTokensAndItsConnectionsAreOneMember() throws Exception {
        String subject = "u-" + java.util.UUID.randomUUID();
        String zed = token(subject, "Zed", List.of("chat:lobby"), Instant.now().plusSeconds(300), SECRET);
        List<String> asZed = List.of("chat.v1", "bearer." + zed);
        try (TestClient watcher = as("chat/lobby", "chat.v1", "chat:lobby");
             TestClient tab1 = TestClient.connect(client, ws("chat/lobby"), null, asZed);
             TestClient tab2 = TestClient.connect(client, ws("chat/lobby"), null, asZed);
             TestClient idle = TestClient.connect(client, ws("chat/lobby"), null, asZed)) {
            join(watcher, "Watcher");
            awaitText(watcher, "chat-presence");
            join(tab1, "Mallory");
            assertThat(awaitText(tab1, "chat-joined")).contains("\"username\":\"Zed\"");
            assertThat(awaitText(watcher, "chat-join")).contains("\"username\":\"Zed\"").contains("\"user\":\"" + subject + "\"");
            join(tab2, "Zed");
            assertThat(awaitText(tab2, "chat-joined")).contains("\"username\":\"Zed\"");
            String listed = awaitText(tab2, "chat-presence");
            String usernames = listed.substring(listed.indexOf("\"usernames\":["), listed.indexOf(']'));
            assertThat(usernames.split("\"Zed\"", -1)).as("listed once: " + listed).hasSize(2);

            try (TestClient guest = TestClient.connect(client, ws("chat/lobby"), null, List.of("chat.v1"))) {
                join(guest, "Zed");
                assertThat(awaitText(guest, "chat-joined")).contains("\"username\":\"Guest ");
            }

            // At the cap (3 here) with three connections: a fourth admitted proves the server ended tab1.
            tab1.close();
            dev.socketworks.testing.Poll.until(TestClient.DEADLINE, "the server ended tab1", () ->
                    status(RawClient.handshakeHead(ws("chat/lobby"), "Authorization: Bearer " + zed + "\r\n")).contains(" 101"));
            watcher.session().getBasicRemote().sendText("{\"type\":\"chat-message\",\"payload\":{\"message\":\"marker\"}}");
            String next = watcher.nextText();
            while (!next.contains("marker")) {
                assertThat(leavers(next)).as("tab2 still holds Zed's place").doesNotContain("Zed");
                next = watcher.nextText();
            }
            tab2.close();
            next = watcher.nextText();
            while (!leavers(next).contains("Zed")) {
                next = watcher.nextText();
            }
            assertThat(next).contains("\"user\":\"" + subject + "\"");
        }
    }

    /** Who left, by a chat-leave or among a chat-presence-diff's leaves (changes close together come so). */
    private static List<String> leavers(String text) {
        jakarta.json.JsonObject message = jakarta.json.Json.createReader(new java.io.StringReader(text)).readObject();
        jakarta.json.JsonObject payload = message.getJsonObject("payload");
        return switch (message.getString("type")) {
            case "chat-leave" -> List.of(payload.getString("username"));
            case "chat-presence-diff" -> payload.getJsonArray("leaves").getValuesAs(jakarta.json.JsonObject.class).stream()
                    .map(leave -> leave.getString("username")).toList();
            default -> List.of();
        };
    }

    private static String awaitText(TestClient client, String containing) throws Exception {
        String text = client.nextText();
        while (!text.contains(containing)) {
            text = client.nextText();
        }
        return text;
    }

    /** In-band refresh: a new token of the same user keeps the connection past the first one's exp. */
    @Test
    void aChatMemberRefreshesItsTokenInBandAndIsToldBeforeItExpires() throws Exception {
        String subject = "u-" + java.util.UUID.randomUUID();
        Instant firstExpiry = Instant.now().plusSeconds(3);
        String first = token(subject, List.of("chat:refresh"), firstExpiry, SECRET);
        try (TestClient member = TestClient.connect(client, ws("chat/refresh"), null, List.of("chat.v1", "bearer." + first))) {
            member.session().getBasicRemote().sendText("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Ref\"}}");
            String joined = null;
            String expiring = null; // exp within 30 s: told at once, before or after the join's answers
            while (joined == null || expiring == null) {
                String text = member.nextText();
                joined = text.contains("chat-joined") ? text : joined;
                expiring = text.contains("token-expiring") ? text : expiring;
            }
            assertThat(joined).contains("\"expiresAt\"");
            assertThat(expiring).contains("expiresAt");

            String stranger = token(List.of("chat:refresh"), Instant.now().plusSeconds(300), SECRET);
            member.session().getBasicRemote().sendText("{\"type\":\"refresh\",\"payload\":{\"token\":\"" + stranger + "\"}}");
            assertThat(awaitText(member, "\"error\"")).contains("invalid-token").contains("another user");
            member.session().getBasicRemote().sendText("{\"type\":\"refresh\",\"payload\":{\"token\":\"garbage\"}}");
            assertThat(awaitText(member, "\"error\"")).contains("invalid-token").contains("malformed token");

            String second = token(subject, List.of("chat:refresh"), Instant.now().plusSeconds(300), SECRET);
            member.session().getBasicRemote().sendText("{\"type\":\"refresh\",\"payload\":{\"token\":\"" + second + "\"}}");
            assertThat(awaitText(member, "token-refreshed")).contains("expiresAt");

            // Nothing marks the moment but the clock: past the first token's exp and grace (500 ms), it still talks.
            dev.socketworks.testing.Poll.until(TestClient.DEADLINE, "the first token's expiry and grace passed",
                    () -> Instant.now().isAfter(firstExpiry.plusMillis(1500)));
            member.session().getBasicRemote().sendText("{\"type\":\"chat-message\",\"payload\":{\"message\":\"still here\"}}");
            assertThat(awaitText(member, "still here")).contains("chat-message");
            assertThat(member.session().isOpen()).isTrue();
        }
    }

    /**
     * totals.json refreshes in-band as chat does; a 64 KiB token in a refresh is refused with a clear
     * error and the connection goes on as before.
     */
    @Test
    void aTotalsClientRefreshesInBandAndAHugeTokenIsRefusedCleanly() throws Exception {
        String subject = "u-" + java.util.UUID.randomUUID();
        String first = token(subject, List.of("totals:read", "totals:add"), Instant.now().plusSeconds(300), SECRET);
        try (TestClient producer = TestClient.connect(client, ws("totals"), null, List.of("totals.json", "bearer." + first))) {
            awaitText(producer, "\"total\"");
            String huge = "x".repeat(64 * 1024);
            producer.session().getBasicRemote().sendText("{\"type\":\"refresh\",\"payload\":{\"token\":\"" + huge + "\"}}");
            assertThat(awaitText(producer, "\"error\"")).contains("invalid-token").contains("longer than");

            String readOnly = token(subject, List.of("totals:read"), Instant.now().plusSeconds(600), SECRET);
            producer.session().getBasicRemote().sendText("{\"type\":\"refresh\",\"payload\":{\"token\":\"" + readOnly + "\"}}");
            assertThat(awaitText(producer, "token-refreshed")).contains("expiresAt");
            producer.session().getBasicRemote().sendText("{\"add\":1}");
            assertThat(awaitText(producer, "\"error\"")).as("the new token's rights apply at once").contains("forbidden");
            assertThat(producer.session().isOpen()).isTrue();
        }
    }
}
