package dev.socketworks.arena;

import dev.socketworks.outbox.Outbox;
import dev.socketworks.testing.FakeSession;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** An arena ticked by the test, its clients on fake sessions that read at once (or not at all). */
class ArenaTest {

    private final Arena arena = new Arena("test", Simulation.Rules.standard(0.05), new Random(9), new PlayerRates(60, 2), 100, 50, 0);

    private static final class Client {
        final FakeSession session;
        final Outbox outbox;
        final Arena.Seat seat;

        Client(Arena arena, FakeSession session) {
            this.session = session;
            this.outbox = new Outbox(session.session, 1000, 1 << 20);
            this.seat = arena.seat(outbox, null);
        }

        List<JsonObject> messages() {
            return session.texts().stream().map(t -> Json.createReader(new StringReader(t)).readObject()).toList();
        }

        List<String> types() {
            return messages().stream().map(m -> m.getString("type")).toList();
        }
    }

    @Test
    void aJoinerGetsASnapshotThenOnlyWhatChanges() {
        Client ann = new Client(arena, FakeSession.reading());
        arena.handle(ann.seat, "join Ann");
        JsonObject snapshot = ann.messages().get(0);
        assertThat(snapshot.getString("type")).isEqualTo("snapshot");
        int you = snapshot.getInt("you");
        assertThat(snapshot.getJsonArray("players")).hasSize(1);
        assertThat(snapshot.getJsonArray("pellets")).isNotEmpty();

        arena.tick(); // no aim: nothing Ann sees changed, nothing sent
        assertThat(ann.types()).containsExactly("snapshot");
        arena.handle(ann.seat, "aim 1 0");
        arena.tick();
        JsonObject delta = ann.messages().get(1);
        assertThat(delta.getString("type")).isEqualTo("delta");
        assertThat(delta.getJsonArray("moved").getJsonArray(0).getInt(0)).isEqualTo(you);
    }

    @Test
    void badCommandsGetAnErrorToTheSenderOnlyAndChangeNothing() {
        Client ann = new Client(arena, FakeSession.reading());
        Client bob = new Client(arena, FakeSession.reading());
        arena.handle(ann.seat, "aim 1 0");
        arena.handle(ann.seat, "fly away");
        arena.handle(ann.seat, "join Ann\njoin Ann");
        assertThat(ann.messages()).extracting(m -> m.getString("type").equals("error")
                ? "error:" + m.getJsonObject("payload").getString("code") : m.getString("type"))
                .containsExactly("error:not-playing", "error:unknown-command", "snapshot", "error:already-playing");
        assertThat(bob.messages()).isEmpty();
    }

    @Test
    void commandsPastTheRateAreDroppedWithOneError() {
        Client ann = new Client(arena, FakeSession.reading());
        arena.handle(ann.seat, "join Ann\n" + "aim 1 0\n".repeat(100));
        assertThat(ann.types()).containsExactly("snapshot", "error");
        assertThat(ann.messages().get(1).getJsonObject("payload").getString("code")).isEqualTo("rate-limited");
    }

    @Test
    void aMessageOfManyLinesCostsOnlyItsSenderAndNoOtherClientHearsIt() {
        Client ann = new Client(arena, FakeSession.reading());
        Client bob = new Client(arena, FakeSession.reading());
        arena.handle(bob.seat, "join Bob");
        arena.handle(ann.seat, "aim 1 1\n".repeat(50_000) + "say " + "\u0000");
        List<String> codes = ann.messages().stream().map(m -> m.getJsonObject("payload").getString("code")).toList();
        assertThat(codes).as("one error per command the rate let through (60 a second, refilling meanwhile), then one for the rest")
                .hasSizeBetween(61, 70).containsOnly("not-playing", "rate-limited").endsWith("rate-limited");
        assertThat(bob.types()).containsExactly("snapshot");
    }

    @Test
    void aClientThatFallsBehindGetsASnapshotInsteadOfTheMissedDeltas() {
        FakeSession stalled = new FakeSession("stalled", FakeSession.Completion.MANUAL); // sends never complete until told
        Client ann = new Client(arena, stalled);
        arena.handle(ann.seat, "join Ann\naim 1 0");
        for (int i = 0; i < 50; i++) {
            arena.tick();
        }
        assertThat(ann.outbox.queued()).as("queued behind the stalled send, bounded").isLessThanOrEqualTo(Arena.BACKLOG + 1);
        while (!stalled.inFlight.isEmpty()) {
            stalled.completeOne(); // the client reads again: its queue drains
        }
        arena.tick();
        while (!stalled.inFlight.isEmpty()) {
            stalled.completeOne();
        }
        List<String> types = ann.types();
        assertThat(types.get(types.size() - 1)).as("caught up with the state, not the log").isEqualTo("snapshot");
    }

    @Test
    void theLeaderboardComesEverySecondToEveryone() {
        Client ann = new Client(arena, FakeSession.reading());
        Client watcher = new Client(arena, FakeSession.reading());
        arena.handle(ann.seat, "join Ann");
        for (int i = 0; i < 20; i++) {
            arena.tick();
        }
        assertThat(watcher.types()).containsExactly("leaderboard");
        assertThat(watcher.messages().get(0).getJsonArray("top").getJsonObject(0).getString("name")).isEqualTo("Ann");
    }

    /** A world of 500 units: everyone sees everyone, so every player hears every say. */
    private static Arena smallArena(int saysPerSecond) {
        return new Arena("small", Simulation.Rules.standard(0.05, 500), new Random(3), new PlayerRates(60, saysPerSecond), 100, 50, 0);
    }

    @Test
    void saysPastTheirOwnRateAreDroppedWithOneErrorAndHeardNoMore() {
        Arena small = smallArena(2);
        Client ann = new Client(small, FakeSession.reading());
        Client bob = new Client(small, FakeSession.reading());
        small.handle(ann.seat, "join Ann");
        small.handle(bob.seat, "join Bob");
        small.handle(ann.seat, "say hi\n".repeat(30) + "aim 1 0");
        assertThat(bob.types()).containsExactly("snapshot", "say", "say");
        assertThat(ann.types()).containsExactly("snapshot", "say", "say", "error");
        assertThat(ann.messages().get(3).getJsonObject("payload").getString("message")).contains("2 says per second");
        small.tick();
        assertThat(bob.types()).as("the aim after the says still counted").endsWith("delta");
    }

    @Test
    void aSayNeverPushesAHearerBehindOnDeltas() {
        Arena small = smallArena(100);
        Client ann = new Client(small, FakeSession.reading());
        FakeSession stalled = new FakeSession("stalled", FakeSession.Completion.MANUAL);
        Client bob = new Client(small, stalled);
        small.handle(ann.seat, "join Ann");
        small.handle(bob.seat, "join Bob"); // its snapshot is in flight, never completed
        for (int i = 0; i < 50; i++) {
            small.handle(ann.seat, "say flood " + i);
        }
        assertThat(bob.outbox.queued()).as("says stop at the say backlog").isEqualTo(Arena.SAY_BACKLOG);
        small.handle(ann.seat, "aim 1 0");
        small.tick();
        assertThat(bob.outbox.queued()).as("the delta still goes").isEqualTo(Arena.SAY_BACKLOG + 1);
    }

    @Test
    void aBurstOfVisitsToNewArenasLogsNoMoreThanTheLogLimiterLets() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Arena.class.getName());
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(counter);
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            for (int visit = 0; visit < 200; visit++) { // each visit opens a new arena and leaves it: its tick starts and stops
                Arena visited = new Arena("visit-" + visit, Simulation.Rules.standard(0.05, 500), new Random(visit),
                        new PlayerRates(60, 2), 100, 50, 0);
                Arena.Seat seat = visited.seat(new Outbox(FakeSession.reading().session, 10, 1 << 20), scheduler);
                assertThat(visited.unseat(seat)).isTrue();
            }
        } finally {
            scheduler.shutdownNow();
            log.removeHandler(counter);
        }
        assertThat(lines).as("200 visits, one 'stopped' line each without the limiter").hasSizeLessThanOrEqualTo(21);
    }
}
