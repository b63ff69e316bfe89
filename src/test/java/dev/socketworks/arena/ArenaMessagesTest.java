package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArenaMessagesTest {

    private static Frame.Delta delta(int arrivals) {
        List<View.Player> added = new ArrayList<>();
        for (int i = 0; i < arrivals; i++) {
            added.add(new View.Player(i + 1, "Player " + i, 10 * i, 20 * i, 13, 10));
        }
        return new Frame.Delta(added, List.of(new View.Pellet(900, 5, 6)),
                List.of(new View.Player(2000, "Mover", 1, 2, 14, 12)), IntList.of(7, 300));
    }

    @Test
    void aDeltaWrittenInAReusedBuilderIsTheSameTextEveryTime() {
        StringBuilder reused = new StringBuilder();
        for (long tick = 1; tick <= 3; tick++) {
            Frame.Delta frame = delta((int) tick);
            assertThat(ArenaMessages.delta(tick, frame, reused)).isEqualTo(ArenaMessages.delta(tick, frame));
        }
        assertThat(ArenaMessages.delta(9, delta(0), reused))
                .isEqualTo("{\"type\":\"delta\",\"tick\":9,\"players\":[],\"pellets\":[[900,5,6]],"
                        + "\"moved\":[[2000,1,2,14]],\"removed\":[7,300]}");
    }

    @Test
    void anArrivalCarriesItsNameEscapedOnceAndItsPlace() {
        View.Player ann = new View.Player(7, "Ann \"the\" \u00e9\u2603", 1200, 800, 13, 10);
        Frame.Delta frame = new Frame.Delta(List.of(ann), List.of(), List.of(), IntList.of());
        String text = ArenaMessages.delta(4, frame, new StringBuilder());
        assertThat(text).isEqualTo("{\"type\":\"delta\",\"tick\":4,\"players\":[{\"id\":7,\"name\":\"Ann \\\"the\\\" \u00e9\u2603\","
                + "\"x\":1200,\"y\":800,\"r\":13}],\"pellets\":[],\"moved\":[],\"removed\":[]}");
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(text))) {
            assertThat(reader.readObject().getJsonArray("players").getJsonObject(0).getString("name"))
                    .isEqualTo("Ann \"the\" \u00e9\u2603");
        }
    }

    @Test
    void aBigFrameDoesNotLeaveItsSizeInTheReusedBuilder() {
        StringBuilder reused = new StringBuilder();
        String big = ArenaMessages.delta(1, delta(500), reused);
        assertThat(big.length()).isGreaterThan(8192);
        assertThat(reused.capacity()).isLessThanOrEqualTo(8192);
        assertThat(ArenaMessages.delta(2, delta(1), reused)).isEqualTo(ArenaMessages.delta(2, delta(1)));
    }
}
