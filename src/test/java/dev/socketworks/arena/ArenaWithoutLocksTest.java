package dev.socketworks.arena;

import dev.socketworks.config.SettingsLoader;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.testing.FakeSession;
import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The arena's part of {@code SendingWithoutLocksTest}: the engine stalls (as Redis under
 * {@code DEBUG SLEEP}) in the middle of one arena's change of role, a first join taking its lease.
 * Nothing may wait on a lock that change holds: other connections still arrive in that arena and
 * leave it, and another arena plays on. Each step runs with a deadline, so a regression fails
 * instead of hanging the build.
 */
class ArenaWithoutLocksTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final CountDownLatch engineStalled = new CountDownLatch(1);
    private final CountDownLatch stallEntered = new CountDownLatch(1);
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ScheduledExecutorService engineWork = Executors.newScheduledThreadPool(2);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void release() {
        engineStalled.countDown();
        threads.shutdownNow();
        scheduler.shutdownNow();
        engineWork.shutdownNow();
    }

    /** An in-memory hub whose lease for arena {@code stalled} waits until the test lets it go. */
    private Hub stallingHub() {
        InMemoryHub memory = new InMemoryHub();
        return (Hub) Proxy.newProxyInstance(Hub.class.getClassLoader(), new Class<?>[]{Hub.class}, (proxy, method, args) -> {
            if (method.getName().equals("lease") && "arena.stalled".equals(args[0])) {
                stallEntered.countDown();
                engineStalled.await();
            }
            try {
                return method.invoke(memory, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private record Visitor(FakeSession session, Arenas.Taken taken) {
        boolean saw(String type) {
            return session.texts().stream().anyMatch(t -> t.startsWith("{\"type\":\"" + type + "\""));
        }
    }

    private static Visitor visit(Arenas arenas, String arena) {
        FakeSession session = FakeSession.reading();
        return new Visitor(session, arenas.take(arena, new Outbox(session.session, 1000, 1 << 20)));
    }

    private <T> T within10s(java.util.concurrent.Callable<T> step) throws Exception {
        return threads.submit(step).get(10, TimeUnit.SECONDS);
    }

    @Test
    void whileTheEngineStallsInOneArenasChangeOfRoleConnectionsComeAndGoAndOtherArenasPlay() throws Exception {
        Arenas arenas = new Arenas(SettingsLoader.load(name -> null, name -> null, Map.<String, String>of()::get),
                stallingHub(), scheduler, engineWork);
        Visitor ann = visit(arenas, "stalled");
        Future<?> annJoins = threads.submit(() -> ann.taken().arena().handle(ann.taken().seat(), "join Ann"));
        assertThat(stallEntered.await(10, TimeUnit.SECONDS)).as("Ann's join reached the engine").isTrue();

        Visitor bob = within10s(() -> visit(arenas, "stalled"));
        assertThat(bob.taken().refusal()).isNull();
        within10s(() -> {
            arenas.leave(bob.taken().arena(), bob.taken().seat());
            return null;
        });
        Visitor cat = within10s(() -> visit(arenas, "other"));
        within10s(() -> {
            cat.taken().arena().handle(cat.taken().seat(), "join Cat");
            return null;
        });
        Poll.until(DEADLINE, "Cat plays in the other arena", () -> cat.saw("snapshot"));
        assertThat(ann.saw("snapshot")).as("Ann's arena waits for its engine").isFalse();

        engineStalled.countDown();
        annJoins.get(10, TimeUnit.SECONDS);
        Poll.until(DEADLINE, "Ann plays once the engine answers", () -> ann.saw("snapshot"));
    }
    /**
     * While a stalled change holds the turn, arrivals wait on it, up to ArenaTurn.MAX_WAITING; the next
     * connection is refused as for a full arena rather than left unseated, and the ones that leave
     * meanwhile still leave (a departure is never refused).
     */
    @Test
    void pastTheTurnsBoundANewConnectionIsRefusedAndDeparturesStillGetThrough() throws Exception {
        SharedArena stalled = new SharedArena("stalled", stallingHub(), scheduler, engineWork, new PlayerRates(60, 2),
                () -> new Arena("stalled", Simulation.Rules.standard(0.05, 4000), new java.util.Random(1), new PlayerRates(60, 2),
                        100, 50, 0), false, () -> true, () -> { }, () -> { });
        FakeSession session = FakeSession.reading();
        SharedArena.Local ann = stalled.open(new Outbox(session.session, 1000, 1 << 20));
        threads.submit(() -> stalled.handle(ann, "join Ann"));
        assertThat(stallEntered.await(10, TimeUnit.SECONDS)).isTrue();

        java.util.List<SharedArena.Local> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < ArenaTurn.MAX_WAITING; i++) {
            SharedArena.Opened opened = stalled.open(new Outbox(session.session, 1000, 1 << 20), Integer.MAX_VALUE);
            assertThat(opened.local()).as("connection %d", i).isNotNull();
            waiting.add(opened.local());
        }
        SharedArena.Opened refused = stalled.open(new Outbox(session.session, 1000, 1 << 20), Integer.MAX_VALUE);
        assertThat(refused.full()).isTrue();
        assertThat(refused.local()).isNull();
        assertThat(stalled.localSeats()).isEqualTo(1 + ArenaTurn.MAX_WAITING);

        waiting.forEach(stalled::close);
        assertThat(stalled.localSeats()).as("they left at once; their departures wait on the turn").isEqualTo(1);
        engineStalled.countDown();
        Poll.until(DEADLINE, "Ann plays once the engine answers", () -> session.texts().stream().anyMatch(t -> t.startsWith("{\"type\":\"snapshot\"")));
        assertThat(stalled.seats()).as("Ann's seat only").isEqualTo(1);
        stalled.end();
    }
}
