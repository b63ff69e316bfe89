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
}
