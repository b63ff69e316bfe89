package dev.socketworks;

import dev.socketworks.chat.ChatMember;
import dev.socketworks.chat.ChatRooms;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Retention;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.outbox.OutboxSubscriber;
import dev.socketworks.testing.FakeSession;
import dev.socketworks.totals.RunningTotal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client's send blocks inside the container (a full socket, a close in progress) while a
 * publication is being fanned out to it. Nothing may be waiting on a lock that thread holds: the
 * room, the total and the broadcast go on for everyone else (their messages to the stuck client
 * wait in its outbox behind the send in flight), and the stuck client's own leave completes. Each step that must not block runs with a deadline, so a regression fails (after 10 s)
 * instead of hanging the build.
 */
class SendingWithoutLocksTest {

    private final Hub hub = new InMemoryHub();
    private final CountDownLatch unblock = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final FakeSession stuck = FakeSession.reading();
    private final FakeSession reader = FakeSession.reading();

    @AfterEach
    void release() {
        unblock.countDown();
        threads.shutdownNow();
    }

    private static Outbox outbox(FakeSession session) {
        return new Outbox(session.session, 1000, 1 << 20);
    }

    /** Starts {@code publish} and returns once it is blocked in the stuck client's send. */
    private Future<?> blockedIn(Runnable publish) throws Exception {
        int before = stuck.sendCalls.get();
        stuck.sendsBlockedUntil = unblock;
        Future<?> running = threads.submit(() -> {
            publish.run();
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stuck.sendCalls.get() == before && System.nanoTime() < deadline && !running.isDone()) {
            Thread.onSpinWait();
        }
        assertThat(stuck.sendCalls.get()).as("a send to the stuck client was entered").isGreaterThan(before);
        assertThat(running.isDone()).as("the publisher must be stuck in the blocked send").isFalse();
        return running;
    }

    private void completesWithin10s(Runnable step) throws Exception {
        threads.submit(step).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBroadcastGoesOnWhileOneReadersSendIsBlocked() throws Exception {
        hub.subscribe("broadcast", OutboxSubscriber.verbatim(outbox(stuck)));
        hub.subscribe("broadcast", OutboxSubscriber.verbatim(outbox(reader)));

        Future<?> first = blockedIn(() -> hub.publish("broadcast", "first", Retention.NONE));
        completesWithin10s(() -> hub.publish("broadcast", "second", Retention.NONE));

        assertThat(reader.texts()).containsExactly("first", "second");
        unblock.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    /**
     * On Redis a topic's publications are delivered on its turn of the engine's pool: a send blocked
     * there must not hold the turn, or one stuck client would stop its whole room.
     */
    @Test
    void onRedisATopicGoesOnWhileOneSubscribersSendIsBlocked() throws Exception {
        dev.socketworks.hub.RedisHub redis = new dev.socketworks.hub.RedisHub(dev.socketworks.testing.LocalRedis.uri(), "locks",
                "t" + java.util.UUID.randomUUID() + ":");
        try {
            assertThat(redis.awaitAvailable(java.time.Duration.ofSeconds(10))).isTrue();
            redis.subscribe("broadcast", OutboxSubscriber.verbatim(outbox(stuck)));
            redis.subscribe("broadcast", OutboxSubscriber.verbatim(outbox(reader)));
            stuck.sendsBlockedUntil = unblock;
            redis.publish("broadcast", "first", Retention.NONE);
            dev.socketworks.testing.Poll.until(java.time.Duration.ofSeconds(10), "the stuck client's send entered",
                    () -> stuck.sendCalls.get() > 0);
            redis.publish("broadcast", "second", Retention.NONE);
            dev.socketworks.testing.Poll.until(java.time.Duration.ofSeconds(10), "the reader got both: " + reader.texts(),
                    () -> reader.texts().equals(List.of("first", "second")));
            unblock.countDown();
        } finally {
            unblock.countDown();
            redis.close();
        }
    }

    @Test
    void aRunningTotalGoesOnWhileOneWatchersSendIsBlocked() throws Exception {
        RunningTotal total = new RunningTotal(hub);
        Outbox stuckOutbox = outbox(stuck);
        total.join(OutboxSubscriber.verbatim(outbox(reader)));
        stuck.sendsBlockedUntil = unblock;
        Future<?> joining = threads.submit(() -> total.join(OutboxSubscriber.verbatim(stuckOutbox)));
        completesWithin10s(() -> total.add(2));
        completesWithin10s(() -> total.add(3));

        assertThat(reader.texts()).containsExactly("0", "2", "5");
        unblock.countDown();
        joining.get(10, TimeUnit.SECONDS);
        assertThat(stuck.texts()).first().isIn("0", "2", "5");
    }

    @Test
    void aRoomGoesOnAndTheStuckMemberCanLeaveWhileItsOwnSendIsBlocked() throws Exception {
        ChatRooms rooms = new ChatRooms(hub, new Retention(50, Long.MAX_VALUE), 10, Clock.systemUTC(), new Random());
        ChatMember stuckMember = new ChatMember(rooms.acquire("lobby"), outbox(stuck), false, 1000);
        ChatMember readerMember = new ChatMember(rooms.acquire("lobby"), outbox(reader), false, 1000);
        readerMember.handle(join("Reader"));
        stuckMember.handle(join("Stuck"));

        // The stuck member's own message blocks in its own send (it is fanned out to itself too).
        Future<?> saying = blockedIn(() -> stuckMember.handle(say("from the stuck one")));
        completesWithin10s(() -> readerMember.handle(say("still here")));
        completesWithin10s(stuckMember::leave); // the container's close thread, while the send is stuck

        List<String> seen = reader.texts();
        assertThat(seen).anyMatch(t -> t.contains("\"still here\""));
        assertThat(seen).anyMatch(t -> t.contains("\"chat-leave\"") && t.contains("\"Stuck\""));
        unblock.countDown();
        saying.get(10, TimeUnit.SECONDS);
    }

    private static String join(String name) {
        return "{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + name + "\"}}";
    }

    private static String say(String text) {
        return "{\"type\":\"chat-message\",\"payload\":{\"message\":\"" + text + "\"}}";
    }
}
