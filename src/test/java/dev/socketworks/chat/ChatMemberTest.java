package dev.socketworks.chat;

import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Retention;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.testing.FakeSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChatMemberTest {

    private final Room room = new Room("lobby", new InMemoryHub(), new Retention(50, Long.MAX_VALUE), Clock.systemUTC(),
            new Random(3));

    /** A member on a session that reads at once; its inbox shows room traffic, its replies the errors. */
    private final class Client {
        final FakeSession session = FakeSession.reading();
        final Inbox inbox = Inbox.of(session, type -> !type.equals("error"));
        final ChatMember member;

        Client(boolean legacy) {
            member = new ChatMember(room, new Outbox(session.session, 1000, 1 << 20), legacy, 10);
        }

        /** As a connection whose token names {@code user}, shown as {@code displayName}, in a deployment where users sign in. */
        Client signedIn(String user, String displayName) {
            member.guestsNamedByRoom(true);
            member.token(new ChatMember.Token() {
                @Override
                public String user() {
                    return user;
                }

                @Override
                public String displayName() {
                    return displayName;
                }

                @Override
                public java.time.Instant expiresAt() {
                    return java.time.Instant.parse("2030-01-01T00:00:00Z");
                }

                @Override
                public String refresh(String token) {
                    return "not in this test";
                }
            });
            return this;
        }

        /** As a guest where users sign in: the room names it. */
        Client guestWhereUsersSignIn() {
            member.guestsNamedByRoom(true);
            return this;
        }

        List<String> replies() {
            return session.texts().stream()
                    .filter(t -> Json.createReader(new StringReader(t)).readObject().getString("type").equals("error")).toList();
        }

        Client send(String json) {
            member.handle(json);
            return this;
        }

        Client join(String name) {
            return send("{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + name + "\"}}");
        }

        Client say(String name, String message) {
            return send("{\"type\":\"chat-message\",\"payload\":{\"username\":\"" + name + "\",\"message\":\"" + message + "\"}}");
        }

        JsonObject lastReply() {
            assertThat(replies()).isNotEmpty();
            return Json.createReader(new StringReader(replies().get(replies().size() - 1))).readObject();
        }

        String lastErrorCode() {
            JsonObject reply = lastReply();
            assertThat(reply.getString("type")).isEqualTo("error");
            return reply.getJsonObject("payload").getString("code");
        }
    }

    @Test
    void messagesGoOutUnderTheNameGivenAtJoin() {
        Client bob = new Client(false).join("Bob");
        Client bob2 = new Client(false).join("Bob");
        assertThat(bob2.member.name()).isEqualTo("Bob (2)");
        assertThat(bob2.inbox.raw().get(0))
                .as("the joiner hears its name before any room event, its own join included")
                .isEqualTo("{\"type\":\"chat-joined\",\"payload\":{\"username\":\"Bob (2)\",\"room\":\"lobby\"}}");
        assertThat(bob2.inbox.types()).startsWith("chat-joined", "chat-join", "chat-presence");
        bob2.say("Bob", "as asked");
        bob2.say("Bob (2)", "as given");
        bob2.send("{\"type\":\"chat-message\",\"payload\":{\"message\":\"no name\"}}");
        assertThat(bob.inbox.summary()).contains(
                "chat-message:Bob (2):as asked",
                "chat-message:Bob (2):as given",
                "chat-message:Bob (2):no name");
        assertThat(bob2.replies()).isEmpty();
    }

    @Test
    void impersonationIsRefusedAndReachesNobody() {
        Client alice = new Client(false).join("Alice");
        Client mallory = new Client(false).join("Mallory");
        alice.inbox.clear();
        mallory.say("Alice", "I am Alice");
        mallory.say("alice ", "or alice");
        assertThat(mallory.lastErrorCode()).isEqualTo("impersonation");
        assertThat(mallory.replies()).hasSize(2);
        assertThat(alice.inbox.raw()).isEmpty();
    }

    /** The demo's client joins as "Guest xxxx" on load and then sends whatever name the user typed. */
    @Test
    void aNameNobodyHasGoesOutUnderTheJoinedName() {
        Client watcher = new Client(false).join("Watcher");
        Client guest = new Client(true).join("Guest 3fa2");
        watcher.inbox.clear();
        guest.say("Zoe", "hi there");
        assertThat(watcher.inbox.summary()).containsExactly("chat-message:Guest 3fa2:hi there");
        assertThat(guest.replies()).isEmpty();
    }

    @Test
    void messagesAreTrimmedEmptyOnesIgnoredAndLongOnesRefused() {
        Client alice = new Client(false).join("Alice");
        alice.inbox.clear();
        alice.say("Alice", "  hi  ");
        alice.say("Alice", "   ");
        alice.say("Alice", "x".repeat(10));
        alice.say("Alice", "x".repeat(11));
        assertThat(alice.inbox.summary()).containsExactly("chat-message:Alice:hi", "chat-message:Alice:" + "x".repeat(10));
        assertThat(alice.lastErrorCode()).isEqualTo("message-too-long");
        assertThat(alice.replies()).hasSize(1);
    }

    @Test
    void speakingBeforeJoiningOrJoiningTwiceIsAnError() {
        Client c = new Client(false);
        c.say("x", "hello?");
        assertThat(c.lastErrorCode()).isEqualTo("not-joined");
        c.join("Ann").join("Ann");
        assertThat(c.lastErrorCode()).isEqualTo("already-joined");
        assertThat(c.member.name()).isEqualTo("Ann");
    }

    @Test
    void badUsernamesAreRefusedWithoutJoining() {
        Client c = new Client(false).join("x".repeat(40));
        assertThat(c.lastErrorCode()).isEqualTo("invalid-username");
        assertThat(c.member.name()).isNull();
        c.join("Ann");
        assertThat(c.member.name()).isEqualTo("Ann");
    }

    @Test
    void resumeBeforeJoinReplaysOnlyWhatWasMissed() {
        Client alice = new Client(false).join("Alice");
        Client bob = new Client(false).join("Bob");
        alice.say("Alice", "seen");
        long lastSeen = bob.inbox.lastId();
        bob.member.leave();
        alice.say("Alice", "missed");

        Client bobAgain = new Client(false)
                .send("{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":" + lastSeen + "}}")
                .join("Bob");
        assertThat(bobAgain.inbox.summary()).containsExactly(
                "chat-message:Alice:missed", "chat-joined:Bob", "chat-join:Bob", "chat-presence:Bob:Alice,Bob");
        assertThat(bobAgain.replies()).isEmpty();
    }

    @Test
    void resumeAfterJoiningOrForAnotherRoomIsAnError() {
        Client c = new Client(false).send("{\"type\":\"chat-resume\",\"payload\":{\"room\":\"other\",\"afterId\":0}}");
        assertThat(c.lastErrorCode()).isEqualTo("wrong-room");
        c.join("Ann").send("{\"type\":\"chat-resume\",\"payload\":{\"room\":\"lobby\",\"afterId\":0}}");
        assertThat(c.lastErrorCode()).isEqualTo("already-subscribed");
    }

    /**
     * Presence is state once, then changes: the joiner gets the member list right after its own join,
     * those already in get only the join (a crowd rejoining costs each member O(1) bytes per join, not
     * the whole list). The state plus the changes that follow it is the room's list.
     */
    @Test
    void theJoinerGetsTheMemberListAndTheOthersOnlyTheChange() {
        Client alice = new Client(false).join("Alice");
        Client bob = new Client(false).join("Bob");
        alice.inbox.clear();
        Client carol = new Client(false).join("Carol");
        assertThat(alice.inbox.summary()).containsExactly("chat-join:Carol");
        assertThat(bob.inbox.summary()).endsWith("chat-join:Bob", "chat-presence:Bob:Alice,Bob", "chat-join:Carol");
        assertThat(carol.inbox.summary()).containsExactly("chat-joined:Carol", "chat-join:Carol", "chat-presence:Carol:Alice,Bob,Carol");
        bob.member.leave();
        assertThat(carol.inbox.summary()).endsWith("chat-presence:Carol:Alice,Bob,Carol", "chat-leave:Bob");
    }

    /**
     * A signed-in user's name is its token's, whatever it asks for; its second connection shares the
     * name and the entry (no second chat-join, listed once), and the room hears chat-leave only when
     * the last one leaves. Nobody else gets the name while the user is in: another user named alike
     * gets a variant, and a guest where users sign in gets a room-made name, not the one it asks for.
     */
    @Test
    void aSignedInUsersNameIsItsTokensAndItsConnectionsShareIt() {
        Client watcher = new Client(false).join("Watcher");
        Client tab1 = new Client(false).signedIn("u-17", "Ann").join("Queen");
        Client tab2 = new Client(false).signedIn("u-17", "Ann").join("Someone else");
        assertThat(tab1.member.name()).isEqualTo("Ann");
        assertThat(tab2.member.name()).isEqualTo("Ann");
        assertThat(tab2.inbox.summary()).startsWith("chat-joined:Ann", "chat-presence:Ann:Watcher,Ann");
        assertThat(watcher.inbox.summary()).as("one join for the user").endsWith("chat-presence:Watcher:Watcher", "chat-join:Ann");
        assertThat(watcher.inbox.raw().get(watcher.inbox.raw().size() - 1)).contains("\"user\":\"u-17\"");

        Client otherAnn = new Client(false).signedIn("u-99", "Ann").join("Ann");
        Client guest = new Client(false).guestWhereUsersSignIn().join("Ann");
        assertThat(otherAnn.member.name()).isEqualTo("Ann (2)");
        assertThat(guest.member.name()).startsWith("Guest ");
        assertThat(guest.inbox.raw()).anySatisfy(m -> assertThat(m).contains("chat-presence")
                .contains("{\"username\":\"Ann\",\"user\":\"u-17\"}").contains("{\"username\":\"Watcher\"}"));

        tab2.say("Someone else", "tab 2");
        assertThat(watcher.inbox.summary()).contains("chat-message:Ann:tab 2");
        watcher.inbox.clear();
        tab1.member.leave();
        tab1.member.leave();
        assertThat(watcher.inbox.summary()).as("another tab still holds the place").isEmpty();
        tab2.member.leave();
        assertThat(watcher.inbox.summary()).containsExactly("chat-leave:Ann");
        assertThat(room.members()).doesNotContain("Ann");
    }

    /** A token's name is checked as a chosen one is: one the room cannot show gives way to the subject, else an error to that client only. */
    @Test
    void aTokenNameTheRoomCannotShowFallsBackToTheSubjectOrIsRefused() {
        Client watcher = new Client(false).join("Watcher");
        Client zalgo = new Client(false).signedIn("u-5", "Bad\u0000Name").join("x");
        assertThat(zalgo.member.name()).isEqualTo("u-5");
        Client hopeless = new Client(false).signedIn("\u202Eevil", "x".repeat(10_000)).join("x");
        assertThat(hopeless.lastErrorCode()).isEqualTo("invalid-username");
        assertThat(hopeless.member.name()).isNull();
        assertThat(watcher.inbox.summary()).endsWith("chat-join:u-5");
    }

    @Test
    void leaveIsAnnouncedOnceAndNotToTheLeaver() {
        Client alice = new Client(false).join("Alice");
        Client bob = new Client(false).join("Bob");
        alice.inbox.clear();
        bob.inbox.clear();
        bob.member.leave();
        bob.member.leave();
        assertThat(alice.inbox.summary()).as("the change only: no member list to those who stay")
                .containsExactly("chat-leave:Bob");
        assertThat(bob.inbox.raw()).isEmpty();
        bob.say("Bob", "after leaving");
        assertThat(alice.inbox.raw()).hasSize(1);
    }

    @Test
    void aConnectionThatNeverJoinedLeavesSilently() {
        Client alice = new Client(false).join("Alice");
        alice.inbox.clear();
        new Client(false).member.leave();
        assertThat(alice.inbox.raw()).isEmpty();
    }

    @Test
    void theDemoClientsErrorsCarryAUsername() {
        Client legacy = new Client(true);
        legacy.send("garbage");
        assertThat(legacy.lastReply().getJsonObject("payload").getString("username")).isEmpty();
        legacy.join("Beej").send("garbage");
        assertThat(legacy.lastReply().getJsonObject("payload").getString("username")).isEqualTo("Beej");
        assertThat(new Client(false).send("garbage").lastReply().getJsonObject("payload").containsKey("username")).isFalse();
    }

    @Test
    void everyMessageToTheDemoClientHasAStringUsername() {
        Client legacy = new Client(true).join("Beej");
        Client other = new Client(false).join("Other");
        other.say("Other", "hi");
        other.member.leave();
        legacy.send("{}");
        List<JsonObject> all = new ArrayList<>(legacy.inbox.messages());
        legacy.replies().forEach(r -> all.add(Json.createReader(new StringReader(r)).readObject()));
        assertThat(all).hasSizeGreaterThan(5).allSatisfy(m ->
                assertThat(m.getJsonObject("payload").getJsonString("username")).as(m.toString()).isNotNull());
    }

    @Test
    void aLoneSurrogateIsRefusedAndReachesNobody() {
        Client alice = new Client(false).join("Alice");
        Client bob = new Client(false).join("Bob");
        bob.inbox.clear();
        alice.send("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi \\ud800\"}}");
        assertThat(alice.lastErrorCode()).isEqualTo("invalid-field");
        alice.send("{\"type\":\"chat-join\",\"payload\":{\"username\":\"\\udc00x\"}}");
        assertThat(alice.lastErrorCode()).isEqualTo("invalid-field");
        assertThat(bob.inbox.summary()).isEmpty();
        Client late = new Client(false).join("Late");
        assertThat(late.inbox.raw()).allMatch(dev.socketworks.json.Unicode::isWellFormed);
    }

    @Test
    void controlCharactersOtherThanNewlineAndTabAreRefused() {
        Client alice = new Client(false).join("Alice");
        alice.inbox.clear();
        alice.say("Alice", "a\\u0001b");
        assertThat(alice.lastErrorCode()).isEqualTo("invalid-field");
        alice.say("Alice", "a\\u007fb");
        assertThat(alice.lastErrorCode()).isEqualTo("invalid-field");
        alice.say("Alice", "a\\tb\\r\\nc");
        assertThat(alice.inbox.summary()).containsExactly("chat-message:Alice:a\tb\nc");
        assertThat(alice.replies()).hasSize(2);
    }

    @Test
    void theMessageLimitCountsUtf8Bytes() {
        Client alice = new Client(false).join("Alice");
        alice.inbox.clear();
        alice.say("Alice", "\uD83D\uDE00\uD83D\uDE00x\u00e9"); // 4 + 4 + 1 + 2 = 11 bytes, 4 characters
        assertThat(alice.lastErrorCode()).isEqualTo("message-too-long");
        alice.say("Alice", "\uD83D\uDE00\uD83D\uDE00xx"); // 10 bytes
        assertThat(alice.inbox.summary()).hasSize(1);
    }

    @Test
    void aConnectionTakesARoomOnlyWhenItJoinsOrResumes() {
        int[] taken = new int[1];
        boolean[] refused = new boolean[1];
        ChatMember member = new ChatMember("lobby", new ChatMember.RoomPlace() {
            @Override
            public Room take() {
                taken[0]++;
                return null;
            }

            @Override
            public void giveBack(Room room) {
                throw new AssertionError("nothing was taken");
            }
        }, () -> refused[0] = true, new Outbox(FakeSession.reading().session, 10, 1000), false, 100, new Object());
        member.handle("{\"type\":\"chat-message\",\"payload\":{\"message\":\"hi\"}}");
        assertThat(taken[0]).as("no place taken before a join").isZero();
        member.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Ann\"}}");
        assertThat(taken[0]).isEqualTo(1);
        assertThat(refused[0]).as("no room had a place: the connection is refused").isTrue();
        member.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Ann\"}}");
        assertThat(taken[0]).as("nothing more once refused").isEqualTo(1);
        assertThat(member.room()).isNull();
    }

    @Test
    void aMessageOverTheRateLimitIsAnsweredRateLimited() {
        Client alice = new Client(false).join("Alice");
        alice.member.rateLimited();
        assertThat(alice.lastErrorCode()).isEqualTo("rate-limited");
    }

    /** A member of {@code room} speaking from {@code address}, on a session that reads at once. */
    private static ChatMember memberOf(Room room, String address, FakeSession session) {
        return new ChatMember(room.name(), new ChatMember.RoomPlace() {
            @Override
            public Room take() {
                return room;
            }

            @Override
            public void giveBack(Room given) {
            }
        }, () -> { }, new Outbox(session.session, 1000, 1 << 20), false, 1000, address);
    }

    /** Four connections of one address flood a room of budget 5 a second; a member at another address still speaks. */
    @Test
    void aRoomTakesItsBudgetAndAFloodingAddressGetsOnlyItsShare() {
        Room busy = new Room("busy", new InMemoryHub(), new Retention(50, Long.MAX_VALUE), Clock.systemUTC(), new Random(3), 5);
        List<FakeSession> floodSessions = new java.util.ArrayList<>();
        List<ChatMember> flood = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakeSession session = FakeSession.reading();
            ChatMember member = memberOf(busy, "203.0.113.66", session);
            member.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"flood " + i + "\"}}");
            floodSessions.add(session);
            flood.add(member);
        }
        FakeSession annSession = FakeSession.reading();
        ChatMember ann = memberOf(busy, "198.51.100.7", annSession);
        ann.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Ann\"}}");
        for (int round = 0; round < 5; round++) {
            for (ChatMember member : flood) {
                member.handle("{\"type\":\"chat-message\",\"payload\":{\"message\":\"flood\"}}");
            }
        }
        ann.handle("{\"type\":\"chat-message\",\"payload\":{\"message\":\"still here\"}}");

        long floodHeard = annSession.texts().stream().filter(t -> t.contains("\"message\":\"flood\"")).count();
        assertThat(floodHeard).as("one address's share of the room, however many connections").isEqualTo(5);
        long refusedFlood = floodSessions.stream().flatMap(f -> f.texts().stream()).filter(t -> t.contains("\"rate-limited\"")).count();
        assertThat(refusedFlood).as("each flooding connection told once, not once per dropped message").isEqualTo(4);
        assertThat(annSession.texts()).as("Ann's own message went out, past the flood").anyMatch(t -> t.contains("still here"));
        assertThat(annSession.texts()).noneMatch(t -> t.contains("\"rate-limited\""));
        flood.forEach(ChatMember::leave);
        ann.leave();
    }
}
