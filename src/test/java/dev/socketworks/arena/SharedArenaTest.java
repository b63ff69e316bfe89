package dev.socketworks.arena;

import dev.socketworks.hub.RedisHub;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.testing.FakeSession;
import dev.socketworks.testing.LocalRedis;
import dev.socketworks.testing.Poll;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers (two hubs on one Redis, two schedulers) in one arena: the first to arrive runs it, the
 * other relays. The cluster suite kills a real server; here the relay's parts are checked one by one.
 */
class SharedArenaTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final String prefix = "t" + UUID.randomUUID() + ":";
    private final RedisHub hubA = connected(new RedisHub(LocalRedis.uri(), "a", prefix));
    private final RedisHub hubB = connected(new RedisHub(LocalRedis.uri(), "b", prefix));
    private final ScheduledExecutorService schedulerA = Executors.newScheduledThreadPool(2);
    private final ScheduledExecutorService schedulerB = Executors.newScheduledThreadPool(2);
    private final SharedArena onA = arena(hubA, schedulerA);
    private final SharedArena onB = arena(hubB, schedulerB);

    private static RedisHub connected(RedisHub hub) {
        try {
            assertThat(hub.awaitAvailable(DEADLINE)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return hub;
    }

    private static SharedArena arena(RedisHub hub, ScheduledExecutorService scheduler) {
        return new SharedArena("duel", hub, scheduler, new PlayerRates(60, 2),
                () -> new Arena("duel", Simulation.Rules.standard(0.05, 1000), new Random(1), new PlayerRates(60, 2), 100, 50, 0), () -> { });
    }

    @AfterEach
    void stop() {
        onA.end();
        onB.end();
        schedulerA.shutdownNow();
        schedulerB.shutdownNow();
        hubA.close();
        hubB.close();
    }

    private static List<JsonObject> messages(FakeSession session) {
        return session.texts().stream().map(t -> Json.createReader(new StringReader(t)).readObject()).toList();
    }

    private static List<String> types(FakeSession session) {
        return messages(session).stream().map(m -> m.getString("type")).toList();
    }

    private static JsonObject await(FakeSession session, String type, String what) throws Exception {
        Poll.until(DEADLINE, what, () -> types(session).contains(type));
        return messages(session).stream().filter(m -> m.getString("type").equals(type)).findFirst().orElseThrow();
    }

    @Test
    void aPlayerOnTheOtherServerPlaysTheSameWorldThroughTheRelay() throws Exception {
        FakeSession annSession = FakeSession.reading();
        SharedArena.Local ann = onA.open(new Outbox(annSession.session, 1000, 1 << 20));
        FakeSession bobSession = FakeSession.reading();
        SharedArena.Local bob = onB.open(new Outbox(bobSession.session, 1000, 1 << 20));
        assertThat(onA.active()).as("connecting takes no arena").isFalse();
        assertThat(onB.active()).isFalse();

        onA.handle(ann, "join Ann");
        assertThat(ann.seat).as("the first server to have a player runs the arena").isNotNull();
        onB.handle(bob, "join Bob\nfly");
        assertThat(bob.seat).as("the second relays").isNull();
        assertThat(onB.active()).isTrue();
        assertThat(await(bobSession, "error", "Bob's bad line answered").getJsonObject("payload").getString("code"))
                .as("answered where it arrived").isEqualTo("unknown-command");
        JsonObject snapshot = await(bobSession, "snapshot", "Bob's snapshot, relayed back");
        assertThat(snapshot.getJsonObject("world").getInt("w")).isEqualTo(1000);
        Poll.until(DEADLINE, "one leaderboard of both players, on both servers", () -> {
            for (FakeSession session : List.of(annSession, bobSession)) {
                boolean both = messages(session).stream().filter(m -> m.getString("type").equals("leaderboard"))
                        .anyMatch(m -> m.getJsonArray("top").size() == 2);
                if (!both) {
                    return false;
                }
            }
            return true;
        });
        onB.handle(bob, "aim 1 0");
        int you = snapshot.getInt("you");
        Poll.until(DEADLINE, "Bob's aim relayed: his deltas show him moving", () -> messages(bobSession).stream()
                .filter(m -> m.getString("type").equals("delta"))
                .anyMatch(m -> m.getJsonArray("moved").stream().anyMatch(v -> v.asJsonArray().getInt(0) == you)));

        assertThat(onB.close(bob)).as("b has no connection left: it ends there").isTrue();
        Poll.until(DEADLINE, "Bob's detach reaches the running server", () -> onA.seats() == 1);
    }

    /** A connection whose messages nobody reads here. */
    private static SharedArena.Local connection(SharedArena on) {
        return on.open(new Outbox(FakeSession.reading().session, 1000, 1 << 20));
    }

    /**
     * A relaying server that dies (here: its hub goes, with no detach sent) is dead by the hub's
     * liveness, the same answer chat presence uses: the running server drops its seats at its next watch.
     */
    @Test
    void theSeatsOfARelayingServerThatDiedLeaveTheArena() throws Exception {
        SharedArena.Local ann = connection(onA);
        SharedArena.Local bob = connection(onB);
        onA.handle(ann, "join Ann");
        onB.handle(bob, "join Bob");
        Poll.until(DEADLINE, "Bob relayed into the arena on a", () -> onA.seats() == 2);

        schedulerB.shutdownNow(); // b stops: no watch, no detach
        hubB.close(); // its mark in the engine goes with it
        Poll.until(DEADLINE, "b's seat dropped by a", () -> onA.seats() == 1);
        assertThat(ann.seat).as("Ann plays on").isNotNull();
    }

    @Test
    void aRelayedClientThatFallsBehindGetsASnapshotInsteadOfTheMissedDeltas() throws Exception {
        FakeSession annSession = FakeSession.reading();
        SharedArena.Local ann = onA.open(new Outbox(annSession.session, 1000, 1 << 20));
        FakeSession stalled = new FakeSession("stalled", FakeSession.Completion.MANUAL); // sends never complete until told
        SharedArena.Local bob = onB.open(new Outbox(stalled.session, 1000, 1 << 20));
        onA.handle(ann, "join Ann");
        onB.handle(bob, "join Bob\naim 1 0");
        Poll.until(DEADLINE, "Bob's queue backs up behind his stalled send", () -> bob.outbox.queued() > Arena.BACKLOG);
        Poll.until(DEADLINE, "frames beyond the backlog dropped", () -> bob.behind);
        int queued = bob.outbox.queued();
        Poll.until(DEADLINE, "a few ticks pass", () -> annSession.texts().size() > 20);
        assertThat(bob.outbox.queued()).as("nothing more queued while he is behind").isLessThanOrEqualTo(queued + 1);
        while (!stalled.inFlight.isEmpty()) {
            stalled.completeOne(); // he reads again
        }
        Poll.until(DEADLINE, "caught up with the state, not the log: a second snapshot", () -> {
            while (!stalled.inFlight.isEmpty()) {
                stalled.completeOne();
            }
            return types(stalled).stream().filter("snapshot"::equals).count() == 2;
        });
    }

    /** arenaMaxPlayers across two servers: each used to count only its own connections. */
    @Test
    void thePlayerCapCountsEveryServersPlayersWhereTheArenaRuns() throws Exception {
        SharedArena smallOnA = new SharedArena("pair", hubA, schedulerA, new PlayerRates(60, 2),
                () -> new Arena("pair", Simulation.Rules.standard(0.05, 1000), new Random(1), new PlayerRates(60, 2), 1, 50, 0), () -> { });
        SharedArena smallOnB = new SharedArena("pair", hubB, schedulerB, new PlayerRates(60, 2),
                () -> new Arena("pair", Simulation.Rules.standard(0.05, 1000), new Random(1), new PlayerRates(60, 2), 1, 50, 0), () -> { });
        try {
            FakeSession annSession = FakeSession.reading();
            SharedArena.Local ann = smallOnA.open(new Outbox(annSession.session, 1000, 1 << 20));
            FakeSession bobSession = FakeSession.reading();
            SharedArena.Local bob = smallOnB.open(new Outbox(bobSession.session, 1000, 1 << 20));
            smallOnA.handle(ann, "join Ann");
            await(annSession, "snapshot", "Ann plays on a");
            smallOnB.handle(bob, "join Bob");
            assertThat(await(bobSession, "error", "Bob's join answered through the relay").getJsonObject("payload").getString("code"))
                    .isEqualTo("arena-full");
            assertThat(types(bobSession)).doesNotContain("snapshot");
            smallOnA.handle(ann, "leave");
            smallOnB.handle(bob, "join Bob");
            await(bobSession, "snapshot", "a place freed: Bob plays, through the relay");
        } finally {
            smallOnA.end();
            smallOnB.end();
        }
    }

    /**
     * Players on both servers leave and stay connected, watching: nobody plays anywhere, so both servers
     * give their arena place back. The relaying one used to keep it (and keep its watchers seated where
     * the arena ran, so that one kept its place too) for as long as a connection stayed.
     */
    @Test
    void whenNobodyPlaysOnAnyServerEveryServerGivesItsPlaceBack() throws Exception {
        AtomicInteger placesA = new AtomicInteger();
        AtomicInteger placesB = new AtomicInteger();
        SharedArena idleOnA = placeCounting(hubA, schedulerA, placesA);
        SharedArena idleOnB = placeCounting(hubB, schedulerB, placesB);
        try {
            FakeSession annSession = FakeSession.reading();
            SharedArena.Local ann = idleOnA.open(new Outbox(annSession.session, 1000, 1 << 20));
            FakeSession bobSession = FakeSession.reading();
            SharedArena.Local bob = idleOnB.open(new Outbox(bobSession.session, 1000, 1 << 20));
            idleOnA.handle(ann, "join Ann");
            idleOnB.handle(bob, "join Bob");
            await(bobSession, "snapshot", "Bob plays through the relay");
            assertThat(placesA.get() + placesB.get()).as("a place on each server").isEqualTo(2);

            idleOnA.handle(ann, "leave");
            idleOnB.handle(bob, "leave");
            Poll.until(DEADLINE, "both servers dormant", () -> !idleOnA.active() && !idleOnB.active());
            assertThat(placesA.get() + placesB.get()).as("both places given back").isZero();
            assertThat(idleOnA.localSeats() + idleOnB.localSeats()).as("both still connected, watching").isEqualTo(2);

            long snapshots = types(bobSession).stream().filter("snapshot"::equals).count();
            idleOnB.handle(bob, "join Bob");
            Poll.until(DEADLINE, "Bob plays again: the arena runs where he is",
                    () -> types(bobSession).stream().filter("snapshot"::equals).count() > snapshots);
            assertThat(bob.seat).as("run on b, which joined first this time").isNotNull();
            assertThat(placesB.get()).isEqualTo(1);
        } finally {
            idleOnA.end();
            idleOnB.end();
        }
    }

    private static SharedArena placeCounting(RedisHub hub, ScheduledExecutorService scheduler, AtomicInteger places) {
        return new SharedArena("idle", hub, scheduler, new PlayerRates(60, 2),
                () -> new Arena("idle", Simulation.Rules.standard(0.05, 1000), new Random(1), new PlayerRates(60, 2), 100, 50, 0),
                false, () -> places.incrementAndGet() > 0, places::decrementAndGet, () -> { });
    }
}
