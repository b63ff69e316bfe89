package dev.socketworks.chat;

import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Retention;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChatRoomsTest {

    private final InMemoryHub hub = new InMemoryHub();
    private final ChatRooms rooms = new ChatRooms(hub, new Retention(10, Long.MAX_VALUE), 2, Clock.systemUTC(), new Random());

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
        a.say(a.join("Alice").name(), "kept");
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
        ChatRooms two = new ChatRooms(hub, new Retention(10, Long.MAX_VALUE), 2, Clock.systemUTC(), new Random());
        assertThat(two.acquire("a")).isNotNull();
        assertThat(two.acquire("b")).isNotNull();
        assertThat(two.acquire("c")).isNull();
        assertThat(two.acquire(ChatRooms.LOBBY)).isNotNull();
    }

    @Test
    void eachRoomKeepsTheHistoryItsSettingsAllowInCountAndBytes() {
        String text = "x".repeat(1000);
        Clock fixed = Clock.fixed(java.time.Instant.parse("2026-11-21T10:00:00.123Z"), java.time.ZoneOffset.UTC);
        long entry = 2L * ChatMessages.roomEvent(ChatMessages.MESSAGE, "Ann", null, text, fixed.instant()).length() + 64;
        ChatRooms rooms = new ChatRooms(hub, new Retention(100, entry * 3), 100, fixed, new Random());
        Room room = rooms.acquire("bytes");
        for (int i = 0; i < 10; i++) {
            room.say("Ann", text);
        }
        Inbox replay = new Inbox();
        room.subscribe(replay);
        assertThat(replay.raw()).as("three entries fit the room's bytes").hasSize(3);

        ChatRooms counted = new ChatRooms(hub, new Retention(2, Long.MAX_VALUE), 100, fixed, new Random());
        Room small = counted.acquire("count");
        for (int i = 0; i < 5; i++) {
            small.say("Ann", "m" + i);
        }
        Inbox last = new Inbox();
        small.subscribe(last);
        assertThat(last.summary()).containsExactly("chat-message:Ann:m3", "chat-message:Ann:m4");
    }

    @Test
    void aRoomDroppedForItsPlaceStartsAfreshWhenNamedAgain() {
        Room a = rooms.acquire("a");
        a.say("Ann", "old");
        rooms.release(a);
        rooms.release(rooms.acquire("b"));
        Room c = rooms.acquire("c"); // at the cap of 2: "a", idle longest, is dropped and its topic released
        rooms.release(c);
        Room again = rooms.acquire("a"); // and now "b" makes way
        assertThat(again).isNotSameAs(a);
        Inbox inbox = new Inbox();
        again.subscribe(inbox);
        assertThat(inbox.raw()).isEmpty();
    }
}
