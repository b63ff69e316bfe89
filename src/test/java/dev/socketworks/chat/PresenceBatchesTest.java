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

/** Joins and leaves close together reach each member as one message; a room's list is bounded for a joiner. */
class PresenceBatchesTest {

    private static final int LIST_MAX = 5;

    /** The room's ticks, run by hand: the test decides when a batch's time is up. */
    private final List<Runnable> ticks = new ArrayList<>();
    private final Room room = new Room("lobby", new InMemoryHub(), new Retention(50, Long.MAX_VALUE), Clock.systemUTC(),
            new Random(3), 0, new PresenceBatches(60_000, LIST_MAX, (millis, task) -> ticks.add(task)));

    private final class Client {
        final FakeSession session = FakeSession.reading();
        final Inbox inbox = Inbox.of(session, type -> !type.equals("error"));
        final ChatMember member;

        Client(boolean legacy) {
            member = new ChatMember(room, new Outbox(session.session, 1000, 1 << 20), legacy, 100);
        }

        Client join(String name) {
            member.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + name + "\"}}");
            return this;
        }

        Client say(String message) {
            member.handle("{\"type\":\"chat-message\",\"payload\":{\"message\":\"" + message + "\"}}");
            return this;
        }
    }

    private void tick() {
        List<Runnable> due = List.copyOf(ticks);
        ticks.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aChangeAfterAQuietSpellGoesAtOnceAndTheNextOnesWaitForTheTickAsOneMessage() {
        Client watcher = new Client(false).join("Watcher");
        watcher.inbox.clear();
        Client ann = new Client(false).join("Ann");
        assertThat(watcher.inbox.summary()).as("a quiet room hears a join at once").containsExactly("chat-join:Ann");

        new Client(false).join("Bob");
        new Client(false).join("Cid");
        ann.member.leave();
        assertThat(watcher.inbox.summary()).as("the rest waits for the room's tick").containsExactly("chat-join:Ann");
        assertThat(ticks).as("one timer for the room, however many members wait").hasSize(1);

        tick();
        assertThat(watcher.inbox.summary()).containsExactly("chat-join:Ann", "chat-presence-diff:+Bob,+Cid,-Ann");
        JsonObject diff = watcher.inbox.messages().get(1).getJsonObject("payload");
        assertThat(diff.getJsonNumber("id").longValueExact()).as("the last change's id").isEqualTo(watcher.inbox.lastId());
        assertThat(diff.getJsonArray("joins").getJsonObject(0).getJsonNumber("id").longValueExact())
                .isLessThan(diff.getJsonNumber("id").longValueExact());
    }

    @Test
    void aMemberWhoLeavesAndComesBackWithinABatchIsOneJoin() {
        Client watcher = new Client(false).join("Watcher");
        new Client(false).join("Starter"); // goes at once: what follows waits
        watcher.inbox.clear();
        Client bob = new Client(false).join("Bob");
        bob.member.leave();
        new Client(false).join("Bob");
        new Client(false).join("Cid");
        tick();
        assertThat(watcher.inbox.summary()).containsExactly("chat-presence-diff:+Bob,+Cid");
    }

    @Test
    void aMessageSendsTheChangesWaitingFirstSoAJoinerIsNeverHeardBeforeItsJoin() {
        Client watcher = new Client(false).join("Watcher");
        new Client(false).join("Starter");
        watcher.inbox.clear();
        Client bob = new Client(false).join("Bob");
        bob.say("hi");
        assertThat(watcher.inbox.summary()).containsExactly("chat-join:Bob", "chat-message:Bob:hi");
        tick();
        assertThat(watcher.inbox.summary()).as("nothing left for the tick").hasSize(2);
    }

    @Test
    void aJoinerGetsItsOwnJoinAndTheListAtOnceWhateverWaits() {
        new Client(false).join("Ann");
        new Client(false).join("Bob");
        Client cid = new Client(false).join("Cid");
        assertThat(cid.inbox.summary()).containsExactly("chat-joined:Cid", "chat-join:Cid", "chat-presence:Cid:Ann,Bob,Cid");
    }

    @Test
    void aJoinerOfALargeRoomGetsTheFirstNamesAndTheCount() {
        for (int i = 0; i < LIST_MAX + 2; i++) {
            new Client(false).join("M" + i);
        }
        Client late = new Client(false).join("Late");
        JsonObject presence = late.inbox.messages().stream().filter(m -> m.getString("type").equals("chat-presence")).findFirst().orElseThrow()
                .getJsonObject("payload");
        assertThat(presence.getJsonArray("usernames")).hasSize(LIST_MAX);
        assertThat(presence.getJsonArray("members")).hasSize(LIST_MAX);
        assertThat(presence.getInt("count")).isEqualTo(LIST_MAX + 3);
    }

    /**
     * At most listMax changes wait: that many go without waiting for the tick. And once the room has
     * more than listMax members its changes are counted, not named (everyone naming everyone in a
     * crowd costs O(n²)): a diff with the room's count.
     */
    @Test
    void aStormIsSentInMessagesOfAtMostListMaxChangesAndACrowdsChangesAreCounted() {
        Client watcher = new Client(false).join("Watcher");
        new Client(false).join("Starter");
        watcher.inbox.clear();
        for (int i = 0; i < 8; i++) {
            new Client(false).join("S" + i); // the room has 3 to 10 members
        }
        assertThat(watcher.inbox.summary()).as("five changes waited: sent without the tick").containsExactly("chat-presence-diff:+S0,+S1,+S2");
        assertThat(watcher.inbox.messages().get(0).getJsonObject("payload").getInt("count")).isEqualTo(7);
        tick();
        assertThat(watcher.inbox.summary()).containsExactly("chat-presence-diff:+S0,+S1,+S2", "chat-presence-diff:");
        assertThat(watcher.inbox.messages().get(1).getJsonObject("payload").getInt("count")).isEqualTo(10);

        Client late = new Client(false).join("Late"); // after a quiet spell, yet a crowd's change: counted
        watcher.inbox.clear();
        late.member.leave();
        tick();
        assertThat(watcher.inbox.summary()).containsExactly("chat-presence-diff:");
        assertThat(watcher.inbox.messages().get(0).getJsonObject("payload").getInt("count")).isEqualTo(10);
    }

    @Test
    void theNodeDemosClientGetsAUsernameInEveryCoalescedMessage() {
        Client beej = new Client(true).join("Beej");
        new Client(false).join("Starter");
        beej.inbox.clear();
        new Client(false).join("Bob");
        new Client(false).join("Cid");
        tick();
        assertThat(beej.inbox.raw()).hasSize(1);
        JsonObject diff = Json.createReader(new StringReader(beej.inbox.raw().get(0))).readObject();
        assertThat(diff.getJsonObject("payload").getString("username")).isEqualTo("Bob");
    }
}
