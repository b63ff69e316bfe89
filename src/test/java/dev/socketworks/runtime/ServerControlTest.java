package dev.socketworks.runtime;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.RedisHub;
import dev.socketworks.testing.LocalRedis;
import dev.socketworks.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Questions to every server: each live server answers once, the asker hears them all, and a server
 * alive that does not answer is named after the timeout instead of being waited for forever; a flood
 * of questions is bounded.
 */
class ServerControlTest {

    /** The answer each server gives in these tests: who it is and what it was asked. */
    public record Echo(String server, String said) {
    }

    private final ScheduledExecutorService work = Executors.newScheduledThreadPool(4);
    private final List<Hub> hubs = new ArrayList<>();
    private final List<ServerControl> controls = new ArrayList<>();

    @AfterEach
    void stop() {
        controls.forEach(ServerControl::close);
        hubs.forEach(Hub::close);
        work.shutdownNow();
    }

    private ServerControl started(Hub hub, Duration timeout) {
        ServerControl control = new ServerControl(hub, work, work, timeout);
        control.answer("echo", args -> new Echo(hub.node(), args.get("say")));
        control.start();
        controls.add(control);
        return control;
    }

    private RedisHub redis(String node, String prefix) throws InterruptedException {
        RedisHub hub = new RedisHub(LocalRedis.uri(), node, prefix);
        hubs.add(hub);
        assertThat(hub.awaitAvailable(Duration.ofSeconds(10))).isTrue();
        return hub;
    }

    @Test
    void inMemoryTheOnlyServerAnswersItself() throws Exception {
        InMemoryHub hub = new InMemoryHub();
        hubs.add(hub);
        ServerControl.Answers answers = started(hub, Duration.ofSeconds(5)).ask("echo", Map.of("say", "hi"));
        assertThat(answers.bodies(Echo.class)).containsExactly(new Echo(hub.node(), "hi"));
        assertThat(answers.missing()).isEmpty();
    }

    @Test
    void everyServerSharingTheEngineAnswersOnce() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub a = redis("a", prefix);
        Hub b = redis("b", prefix);
        Hub c = redis("c", prefix);
        ServerControl asker = started(a, Duration.ofSeconds(5));
        started(b, Duration.ofSeconds(5));
        started(c, Duration.ofSeconds(5));
        ServerControl.Answers answers = asker.ask("echo", Map.of("say", "hi"));
        assertThat(answers.bodies(Echo.class)).containsExactlyInAnyOrder(
                new Echo(a.node(), "hi"), new Echo(b.node(), "hi"), new Echo(c.node(), "hi"));
        assertThat(answers.missing()).isEmpty();
    }

    @Test
    void aLiveServerThatDoesNotAnswerIsNamedAfterTheTimeout() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub a = redis("a", prefix);
        Hub silent = redis("silent", prefix); // alive, follows no control topic
        ServerControl asker = started(a, Duration.ofMillis(300));
        ServerControl.Answers answers = asker.ask("echo", Map.of("say", "hi"));
        assertThat(answers.bodies(Echo.class)).containsExactly(new Echo(a.node(), "hi"));
        assertThat(answers.missing()).containsExactly(silent.node());
    }

    @Test
    void aQuestionNobodyKnowsIsAnsweredByNobodyAndNamesEveryone() throws Exception {
        InMemoryHub hub = new InMemoryHub();
        hubs.add(hub);
        ServerControl.Answers answers = started(hub, Duration.ofMillis(200)).ask("no-such-kind", Map.of());
        assertThat(answers.answers()).isEmpty();
        assertThat(answers.missing()).containsExactly(hub.node());
    }

    /** Each waiting question holds a request thread: past MAX_WAITING the next is refused at once. */
    @Test
    void pastMaxWaitingQuestionsTheNextIsRefused() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        Hub a = redis("a", prefix);
        redis("silent", prefix);
        ServerControl asker = started(a, Duration.ofSeconds(20));
        ExecutorService askers = Executors.newFixedThreadPool(ServerControl.MAX_WAITING);
        try {
            List<Future<ServerControl.Answers>> waiting = new ArrayList<>();
            for (int i = 0; i < ServerControl.MAX_WAITING; i++) {
                waiting.add(askers.submit(() -> asker.ask("echo", Map.of("say", "wait"))));
            }
            Poll.until(Duration.ofSeconds(10), "every question waits", () -> asker.waitingCount() == ServerControl.MAX_WAITING);
            assertThatThrownBy(() -> asker.ask("echo", Map.of("say", "one too many"))).isInstanceOf(ServerControl.BusyException.class);
        } finally {
            askers.shutdownNow(); // interrupts the waiting questions
            assertThat(askers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        Poll.until(Duration.ofSeconds(5), "the interrupted questions gave their places back", () -> asker.waitingCount() == 0);
    }
}
