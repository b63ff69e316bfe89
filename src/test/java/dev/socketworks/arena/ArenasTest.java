package dev.socketworks.arena;

import dev.socketworks.config.Settings;
import dev.socketworks.config.SettingsLoader;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.testing.FakeSession;
import dev.socketworks.testing.Poll;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's places: idle connections hold none, joins take them, and the player cap is exact under a storm. */
class ArenasTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final InMemoryHub hub = new InMemoryHub();
    private final List<Visitor> visitors = new ArrayList<>();

    @AfterEach
    void stop() {
        visitors.forEach(Visitor::leave);
        scheduler.shutdownNow();
    }

    private static Settings settings(Map<String, String> values) {
        return SettingsLoader.load(name -> null, name -> null, values::get);
    }

    private final class Visitor {
        final FakeSession session = FakeSession.reading();
        final Arenas arenas;
        final Arenas.Taken taken;

        Visitor(Arenas arenas, String arena) {
            this.arenas = arenas;
            this.taken = arenas.take(arena, new Outbox(session.session, 1000, 1 << 20));
            visitors.add(this);
        }

        void send(String message) {
            taken.arena().handle(taken.seat(), message);
        }

        List<String> summaries() {
            return session.texts().stream().map(t -> Json.createReader(new StringReader(t)).readObject())
                    .map(ArenasTest::summary).toList();
        }

        void leave() {
            if (taken.seat() != null) {
                arenas.leave(taken.arena(), taken.seat());
            }
        }
    }

    private static String summary(JsonObject message) {
        String type = message.getString("type");
        return type.equals("error") ? "error:" + message.getJsonObject("payload").getString("code") : type;
    }

    @Test
    void idleConnectionsHoldNoArenaAJoinTakesAPlaceAndMainIsAlwaysThere() throws Exception {
        Arenas arenas = new Arenas(settings(Map.of("socketworks.arenaMaxArenas", "2")), hub, scheduler);
        for (int i = 0; i < 50; i++) {
            assertThat(new Visitor(arenas, "idle-" + i).taken.refusal()).as("an idle connection is never refused for places").isNull();
        }
        assertThat(arenas.placesTaken()).isZero();

        Visitor ann = new Visitor(arenas, "a");
        Visitor bob = new Visitor(arenas, "b");
        Visitor cat = new Visitor(arenas, "c");
        Visitor dan = new Visitor(arenas, Arenas.MAIN);
        ann.send("join Ann");
        bob.send("join Bob");
        cat.send("join Cat");
        dan.send("join Dan");
        assertThat(ann.summaries()).startsWith("snapshot");
        assertThat(bob.summaries()).startsWith("snapshot");
        assertThat(cat.summaries()).as("every place taken").containsExactly("error:no-arena");
        assertThat(dan.summaries()).as("main is always there").startsWith("snapshot");
        assertThat(arenas.placesTaken()).isEqualTo(2);

        ann.send("leave"); // nobody plays in a: its place is given back after a tick, Ann watches on
        Poll.until(DEADLINE, "a gives its place back", () -> arenas.placesTaken() == 1);
        cat.send("join Cat");
        Poll.until(DEADLINE, "Cat plays in c", () -> cat.summaries().contains("snapshot"));
        ann.send("join Ann");
        Poll.until(DEADLINE, "Ann is refused until a place is free", () -> ann.summaries().contains("error:no-arena"));
    }

    @Test
    void anArenaTakesItsPlayersAndWatchersAndOneMoreConnectionIsRefused() {
        Arenas arenas = new Arenas(settings(Map.of("socketworks.arenaMaxPlayers", "2", "socketworks.arenaMaxWatchers", "3")),
                hub, scheduler);
        for (int i = 0; i < 5; i++) {
            assertThat(new Visitor(arenas, "full").taken.refusal()).isNull();
        }
        assertThat(new Visitor(arenas, "full").taken.refusal())
                .isEqualTo("arena full has 5 connections (arenaMaxPlayers + arenaMaxWatchers); try again later");
        assertThat(new Visitor(arenas, "other").taken.refusal()).as("per arena").isNull();
    }

    /** Where a connection's name is fixed (a signed-in user's, a guest's made by the server), a join plays under it, whatever it asks. */
    @Test
    void aConnectionWithAFixedNamePlaysUnderItWhateverItAsks() throws Exception {
        Arenas arenas = new Arenas(settings(Map.of()), hub, scheduler);
        Visitor ann = new Visitor(arenas, "named");
        ann.taken.seat().playsAs("Ann");
        ann.send("join Mallory");
        Poll.until(DEADLINE, "Ann plays", () -> ann.session.texts().stream().anyMatch(t -> t.contains("\"Ann\"")));
        assertThat(ann.session.texts()).noneMatch(t -> t.contains("Mallory"));
    }

    /** 250 joins at once into an arena of 100: 172 got in before the check and the taking were one step. */
    @Test
    void thePlayerCapHoldsUnderAStormOfJoins() throws Exception {
        Arenas arenas = new Arenas(settings(Map.of("socketworks.arenaMaxPlayers", "100", "socketworks.arenaMaxWatchers", "1000")),
                hub, scheduler);
        List<Visitor> storm = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            storm.add(new Visitor(arenas, "storm"));
        }
        ExecutorService joiners = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < storm.size(); i++) {
            Visitor visitor = storm.get(i);
            String name = "p" + i;
            joiners.execute(() -> {
                try {
                    start.await();
                    visitor.send("join " + name);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        start.countDown();
        joiners.shutdown();
        assertThat(joiners.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        long playing = storm.stream().filter(v -> v.summaries().contains("snapshot")).count();
        long full = storm.stream().filter(v -> v.summaries().contains("error:arena-full")).count();
        assertThat(playing).isEqualTo(100);
        assertThat(full).isEqualTo(150);
    }
}
