package dev.socketworks.chat;

import dev.socketworks.hub.InMemoryHub;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChatRoomsTest {

    private final InMemoryHub hub = new InMemoryHub();
    private final ChatRooms rooms = new ChatRooms(hub, 10, 2, Clock.systemUTC(), new Random());

    @Test
    void connectionsToOneNameShareTheRoom() {
        assertThat(rooms.acquire("a")).isSameAs(rooms.acquire("a"));
    }

    @Test
    void atTheCapAnIdleRoomMakesWayAndABusyOneDoesNot() {
        Room a = rooms.acquire("a");
        Room b = rooms.acquire("b");
        assertThat(rooms.acquire("c")).as("both rooms have a connection").isNull();

        rooms.release(a);
        Room c = rooms.acquire("c");
        assertThat(c).isNotNull();
        assertThat(rooms.size()).isEqualTo(2);
        assertThat(rooms.acquire("b")).isSameAs(b);
        assertThat(rooms.acquire("a")).as("a was dropped; a new room takes its name").isNull();
    }

    @Test
    void anIdleRoomKeepsItsHistoryUntilItsPlaceIsNeeded() {
        Room a = rooms.acquire("a");
        a.say(a.join("Alice"), "kept");
        rooms.release(a);
        Room again = rooms.acquire("a");
        assertThat(again).isSameAs(a);
        Inbox inbox = new Inbox();
        again.subscribe(inbox);
        assertThat(inbox.summary()).containsExactly("chat-message:Alice:kept");
    }

    @Test
    void roomNamesAreUrlSafe() {
        assertThat(ChatRooms.isValidName("lobby")).isTrue();
        assertThat(ChatRooms.isValidName("team-42.dev_ops")).isTrue();
        assertThat(ChatRooms.isValidName("x".repeat(64))).isTrue();
        assertThat(ChatRooms.isValidName("x".repeat(65))).isFalse();
        assertThat(ChatRooms.isValidName("")).isFalse();
        assertThat(ChatRooms.isValidName("a b")).isFalse();
        assertThat(ChatRooms.isValidName("<script>")).isFalse();
        assertThat(ChatRooms.isValidName(null)).isFalse();
    }

    @Test
    void theLobbyNeverTakesAPlaceAndIsAlwaysAvailable() {
        ChatRooms two = new ChatRooms(hub, 10, 2, Clock.systemUTC(), new Random());
        assertThat(two.acquire("a")).isNotNull();
        assertThat(two.acquire("b")).isNotNull();
        assertThat(two.acquire("c")).isNull();
        assertThat(two.acquire(ChatRooms.LOBBY)).isNotNull();
    }

    @Test
    void historyIsBoundedInBytesPerRoomAndInAllRoomsDroppingIdleRoomsFirst() {
        String text = "x".repeat(1000);
        long entry = Room.entryBytes(sample(text));
        // Room cap: 3 entries; total: 5 entries.
        Clock fixed = Clock.fixed(java.time.Instant.parse("2026-11-21T10:00:00.123Z"), java.time.ZoneOffset.UTC);
        ChatRooms rooms = new ChatRooms(hub, 100, entry * 3, entry * 5, 100, fixed, new Random());
        Room idle = rooms.acquire("idle");
        for (int i = 0; i < 10; i++) {
            idle.say("Ann", text);
        }
        assertThat(rooms.historyBytes()).as("one room holds its own cap").isEqualTo(entry * 3);
        rooms.release(idle);

        Room busy = rooms.acquire("busy");
        busy.say("Bob", text);
        busy.say("Bob", text);
        assertThat(rooms.historyBytes()).isEqualTo(entry * 5);
        busy.say("Bob", text); // over the total: the idle room goes, with its history
        assertThat(rooms.historyBytes()).isEqualTo(entry * 3);
        assertThat(rooms.size()).isEqualTo(1);

        Room other = rooms.acquire("other");
        for (int i = 0; i < 10; i++) {
            other.say("Cyd", text);
        }
        // Both rooms are in use: the one that grows gives up its own oldest entries.
        assertThat(rooms.historyBytes()).isLessThanOrEqualTo(entry * 5);
        Inbox replay = new Inbox();
        other.subscribe(replay);
        assertThat(replay.raw).hasSize(2);
    }

    private static String sample(String text) {
        // A history entry's JSON, as Room stores it, for the size of one entry in the test.
        return ChatMessages.event(ChatMessages.MESSAGE, "Ann", text, 1_763_718_000_000_001L, "2026-11-21T10:00:00.123Z");
    }
}
