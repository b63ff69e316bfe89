package dev.socketworks.chat;

import dev.socketworks.hub.CounterChange;
import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.History;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.Member;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Retention;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.testing.FakeSession;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat member on a shared engine that goes away, or loses the room: what its client is told. */
class ChatMemberEngineTest {

    /** The in-memory hub behind a switch: while down, every call that needs the engine throws, as RedisHub's do. */
    private static final class SwitchedHub implements Hub {
        final InMemoryHub engine = new InMemoryHub();
        final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
        volatile boolean down;

        private void check() {
            if (down) {
                throw new EngineUnavailableException("down for the test", null);
            }
        }

        /** What RedisHub does when Redis lost the topic: every subscriber is told, then flushed. */
        void loseTheRoom() {
            subscribers.forEach(s -> s.reset(true));
            subscribers.forEach(Subscriber::flush);
        }

        @Override public String node() { return engine.node(); }
        @Override public boolean isAlive(String n) { check(); return engine.isAlive(n); }
        @Override public java.util.List<String> servers() { check(); return engine.servers(); }
        @Override public boolean revoke(String s, java.time.Instant b, java.time.Duration k) { check(); return engine.revoke(s, b, k); }
        @Override public java.time.Instant revokedBefore(String s) { check(); return engine.revokedBefore(s); }
        @Override public long publish(String t, String text, Retention r) { check(); return engine.publish(t, text, r); }
        @Override public long publish(String t, ByteBuffer data, Retention r) { check(); return engine.publish(t, data, r); }
        @Override public History history(String t, long after, int limit) { check(); return engine.history(t, after, limit); }
        @Override public CounterChange add(String t, long delta) { check(); return engine.add(t, delta); }
        @Override public java.util.Optional<Entered> enter(String t, Member m, String a, int max) { check(); return engine.enter(t, m, a, max); }
        @Override public OptionalLong leave(String t, String key, String a) { return engine.leave(t, key, a); }
        @Override public List<Member> members(String t) { check(); return engine.members(t); }
        @Override public Subscription subscribe(String t, Subscriber s) { check(); return engine.subscribe(t, s); }
        @Override public Subscription watch(String t, Subscriber s) { check(); return engine.watch(t, s); }
        @Override public int subscribers(String t) { return engine.subscribers(t); }
        @Override public void release(String t) { engine.release(t); }
        @Override public dev.socketworks.hub.Places places() { return engine.places(); }

        @Override
        public Subscription subscribe(String t, Subscriber s, long after, int limit) {
            check();
            subscribers.add(s);
            return engine.subscribe(t, s, after, limit);
        }
    }

    private final SwitchedHub hub = new SwitchedHub();
    private final Room room = new Room("lobby", hub, new Retention(50, Long.MAX_VALUE), Clock.systemUTC(), new Random(3));

    private final class Client {
        final FakeSession session = FakeSession.reading();
        final Inbox inbox = Inbox.of(session, type -> true);
        final ChatMember member = new ChatMember(room, new Outbox(session.session, 1000, 1 << 20), false, 100);

        Client join(String name) {
            member.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"" + name + "\"}}");
            return this;
        }

        Client say(String message) {
            member.handle("{\"type\":\"chat-message\",\"payload\":{\"message\":\"" + message + "\"}}");
            return this;
        }
    }

    @Test
    void whileTheEngineIsDownJoiningAndSayingAreRefusedWithUnavailableAndChangeNothing() {
        Client ann = new Client().join("Ann");
        hub.down = true;
        Client bob = new Client().join("Bob");
        ann.say("into the void");
        assertThat(bob.inbox.summary()).containsExactly("error:unavailable");
        assertThat(ann.inbox.summary()).containsExactly("chat-joined:Ann", "chat-join:Ann", "chat-presence:Ann:Ann",
                "error:unavailable");
        assertThat(bob.member.name()).as("not joined").isNull();

        hub.down = false; // back: the same connections go on
        bob.join("Bob");
        ann.say("back");
        assertThat(bob.inbox.summary()).endsWith("chat-joined:Bob", "chat-join:Bob", "chat-presence:Bob:Ann,Bob",
                "chat-message:Ann:back");
    }

    @Test
    void aMemberWhoseRoomWasLostIsToldAndStaysUnderItsName() {
        Client ann = new Client().join("Ann");
        hub.loseTheRoom();
        assertThat(ann.inbox.summary()).as("told, and given the member list again: the one it kept is stale")
                .endsWith("chat-reset:Ann", "chat-presence:Ann:Ann");
        assertThat(ann.member.name()).isEqualTo("Ann");
        assertThat(room.members()).as("presence claimed again, once").containsExactly("Ann");
        ann.say("still here");
        assertThat(ann.inbox.summary()).endsWith("chat-message:Ann:still here");
    }
    /**
     * Claiming the room again calls the engine, and a flush may run on the presence tick's thread (the
     * deployment's shared scheduler): the claim is handed to the engine's work, so a stalled engine
     * never holds up that scheduler's timers.
     */
    @Test
    void claimingALostRoomAgainRunsOnTheEngineWorkNotOnTheThreadThatFlushed() {
        List<Runnable> engineWork = new CopyOnWriteArrayList<>();
        Room handedOff = new Room("handed-off", hub, new Retention(50, Long.MAX_VALUE), Clock.systemUTC(), new Random(3), 0,
                new PresenceBatches(0, 1000, (millis, task) -> task.run(), engineWork::add));
        FakeSession session = FakeSession.reading();
        Inbox inbox = Inbox.of(session, type -> true);
        ChatMember ann = new ChatMember(handedOff, new Outbox(session.session, 1000, 1 << 20), false, 100);
        ann.handle("{\"type\":\"chat-join\",\"payload\":{\"username\":\"Ann\"}}");

        hub.loseTheRoom();
        assertThat(inbox.summary()).as("told at once; the claim waits for the engine's work").endsWith("chat-reset:Ann");
        assertThat(engineWork).hasSize(1);

        engineWork.forEach(Runnable::run);
        assertThat(inbox.summary()).endsWith("chat-reset:Ann", "chat-presence:Ann:Ann");
    }
}
