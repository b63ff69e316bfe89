package dev.socketworks.chat;

import dev.socketworks.testing.Concurrently;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Retention;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RoomTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00.123Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Hub hub = new InMemoryHub("local", Long.MAX_VALUE, clock);

    private Room room(int historySize) {
        return new Room("lobby", hub, new Retention(historySize, Long.MAX_VALUE), clock, new Random(7));
    }

    @Test
    void everyMemberSeesJoinsAndMessagesInOneOrder() {
        Room room = room(50);
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        room.subscribe(a);
        String alice = room.join("Alice").name();
        room.subscribe(b);
        String bob = room.join("Bob").name();
        room.say(alice, "hi Bob");

        assertThat(a.summary()).containsExactly(
                "chat-join:Alice",
                "chat-join:Bob",
                "chat-message:Alice:hi Bob");
        assertThat(b.summary()).containsExactly(
                "chat-join:Bob",
                "chat-message:Alice:hi Bob");
        assertThat(bob).isEqualTo("Bob");
    }

    @Test
    void eventsCarryIncreasingIdsAboveTheClockAndTheTime() {
        Room room = room(50);
        Inbox a = new Inbox();
        room.subscribe(a);
        room.say(room.join("Alice").name(), "one");
        List<Long> ids = a.messages().stream().map(m -> m.getJsonObject("payload"))
                .filter(p -> p.containsKey("id")).map(p -> p.getJsonNumber("id").longValueExact()).toList();
        assertThat(ids).as("the topic's offsets, starting above the clock in microseconds")
                .containsExactly(NOW.toEpochMilli() * 1000 + 1, NOW.toEpochMilli() * 1000 + 2);
        assertThat(a.messages().get(0).getJsonObject("payload").getString("time")).isEqualTo("2026-11-21T10:00:00.123Z");
    }

    @Test
    void aRoomCreatedAgainLaterContinuesAboveTheOldIds() {
        Room first = room(50);
        Inbox old = new Inbox();
        first.subscribe(old);
        first.join("Alice");
        long oldId = old.lastId();

        Clock later = Clock.offset(clock, java.time.Duration.ofMillis(1));
        Room again = new Room("lobby", new InMemoryHub("local", Long.MAX_VALUE, later), new Retention(50, Long.MAX_VALUE),
                later, new Random());
        Inbox fresh = new Inbox();
        again.subscribe(fresh);
        again.join("Bob");
        assertThat(fresh.lastId()).isGreaterThan(oldId);
    }

    /** A room keeping {@code historySize} messages, where Alice said m1..m{@code said}. */
    private Room roomWhereAliceSaid(int historySize, int said) {
        Room room = room(historySize);
        String alice = room.join("Alice").name();
        for (int i = 1; i <= said; i++) {
            room.say(alice, "m" + i);
        }
        return room;
    }

    @Test
    void aJoinerGetsTheLastMessagesThenLiveOnes() {
        Room room = roomWhereAliceSaid(3, 5);
        Inbox late = new Inbox();
        room.subscribe(late);
        assertThat(late.summary()).containsExactly("chat-message:Alice:m3", "chat-message:Alice:m4", "chat-message:Alice:m5");
    }

    @Test
    void resumeSendsExactlyWhatWasMissedStillInHistory() {
        Room room = room(50);
        String alice = room.join("Alice").name();
        Inbox before = new Inbox();
        room.subscribe(before);
        room.say(alice, "seen 1");
        room.say(alice, "seen 2");
        long lastSeen = before.lastId();
        room.say(alice, "missed 1");
        room.say(alice, "missed 2");

        Inbox resumed = new Inbox();
        room.resume(resumed, lastSeen);
        room.say(alice, "live");
        assertThat(resumed.summary()).containsExactly(
                "chat-message:Alice:missed 1", "chat-message:Alice:missed 2", "chat-message:Alice:live");
    }

    @Test
    void resumeWithAnIdFromBeforeTheHistoryGetsAllOfIt() {
        Room room = roomWhereAliceSaid(2, 4);
        Inbox resumed = new Inbox();
        room.resume(resumed, 0);
        assertThat(resumed.summary()).containsExactly("chat-message:Alice:m3", "chat-message:Alice:m4");
    }

    @Test
    void zeroHistoryKeepsNothing() {
        Room room = room(0);
        room.say(room.join("Alice").name(), "gone");
        Inbox late = new Inbox();
        room.subscribe(late);
        assertThat(late.raw()).isEmpty();
    }

    @Test
    void clashingAndMissingNamesAreMadeUnique() {
        Room room = room(50);
        assertThat(room.join("Bob").name()).isEqualTo("Bob");
        assertThat(room.join("bob").name()).isEqualTo("bob (2)");
        assertThat(room.join(null).name()).matches("Guest [0-9a-f]{4}");
    }

    @Test
    void aNameIsFreeAgainAfterItsOwnerLeaves() {
        Room room = room(50);
        Inbox watcher = new Inbox();
        room.subscribe(watcher);
        room.leave(room.join("Bob").name());
        assertThat(room.join("Bob").name()).isEqualTo("Bob");
        assertThat(watcher.summary()).containsExactly(
                "chat-join:Bob", "chat-leave:Bob", "chat-join:Bob");
    }

    @Test
    void leavingTwiceIsAnnouncedOnce() {
        Room room = room(50);
        Inbox watcher = new Inbox();
        room.subscribe(watcher);
        String bob = room.join("Bob").name();
        watcher.clear();
        room.leave(bob);
        room.leave(bob);
        assertThat(watcher.types()).containsExactly("chat-leave");
    }

    @Test
    void concurrentSpeakersAndJoinersGiveEveryoneTheSameSequence() throws Exception {
        Room room = room(10_000);
        List<Inbox> inboxes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Inbox inbox = new Inbox();
            room.subscribe(inbox);
            inboxes.add(inbox);
        }
        Concurrently.run(8, worker -> {
            String name = room.join("w" + worker).name();
            for (int i = 0; i < 200; i++) {
                room.say(name, name + "-" + i);
            }
        });
        List<String> first = inboxes.get(0).raw();
        assertThat(first).hasSize(8 + 8 * 200);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.raw()).isEqualTo(first);
        }
        List<Long> ids = inboxes.get(0).messages().stream().map(m -> m.getJsonObject("payload"))
                .filter(p -> p.containsKey("id")).map(p -> p.getJsonNumber("id").longValueExact()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        for (int w = 0; w < 8; w++) {
            String prefix = "w" + w + "-";
            List<String> own = inboxes.get(0).messages().stream().map(JsonObject.class::cast)
                    .filter(m -> m.getString("type").equals("chat-message"))
                    .map(m -> m.getJsonObject("payload").getString("message")).filter(s -> s.startsWith(prefix)).toList();
            assertThat(own).as("each speaker's own order").isEqualTo(
                    java.util.stream.IntStream.range(0, 200).mapToObj(i -> prefix + i).toList());
        }
    }
}
