package dev.socketworks.hub;

import dev.socketworks.testing.LocalRedis;
import dev.socketworks.testing.Concurrently;
import dev.socketworks.testing.Poll;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The role contracts, and what only Redis does (servers that die, lost publications, scripts, the history account), on Debian's redis-server started by the test run on 127.0.0.1. */
class RedisHubTest extends RedisContract {

    private static final Retention KEEP = new Retention(100, Long.MAX_VALUE);

    /** The role contracts, each on a hub of this engine. */
    interface OnRedis extends Engine {
        @Override
        default Hub connect(String node, String prefix) {
            return RedisContract.connect(LocalRedis.uri(), node, prefix);
        }
    }

    @Nested
    class LogRole extends LogContract implements OnRedis {
    }

    @Nested
    class PresenceRole extends PresenceContract implements OnRedis {
    }

    @Nested
    class CounterRole extends CounterContract implements OnRedis {
    }

    @Nested
    class LeaseRole extends LeaseContract implements OnRedis {
    }

    @Nested
    class LivenessRole extends LivenessContract implements OnRedis {
    }

    @Nested
    class PlacesRole extends PlacesContract implements OnRedis {
    }

    @Nested
    class RevocationRole extends RevocationContract implements OnRedis {
    }

    @Override
    protected String uri() {
        return LocalRedis.uri();
    }

    /**
     * Every engine call runs on the engine's own threads: a thread of the container's that starts a
     * hub, calls it and closes it carries no Netty state afterwards. Netty's thread-locals left on Tomcat's threads by
     * synchronous Lettuce calls kept each undeployed application's class loader alive.
     */
    /** Every call's round trip reaches the deployment's timer; a reconnect and a catch-up are counted (ClusterIT restarts Redis). */
    @Test
    void eachCallsRoundTripIsMeasured() {
        java.util.List<Long> roundTrips = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub.stats().measureRoundTripsWith(roundTrips::add);
        hub.publish("timed", "x", Retention.NONE);
        hub.members("timed");
        assertThat(roundTrips).hasSizeGreaterThanOrEqualTo(2).allMatch(nanos -> nanos > 0);
        assertThat(hub.stats().reconnects()).isZero();
        java.util.List<Long> pubSub = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub.stats().measurePubSubLagWith(pubSub::add);
        EngineContract.Recorder heard = new EngineContract.Recorder();
        hub.subscribe("timed", heard);
        hub.publish("timed", "y", Retention.NONE);
        heard.await(1);
        assertThat(pubSub).as("its way through Redis's pub/sub, measured as this server hears it").hasSize(1)
                .allMatch(millis -> millis >= 0 && millis < 10_000);
    }

    @Test
    void aThreadThatCallsTheHubCarriesNoNettyStateAfterwards() throws Exception {
        RedisHub hub = open("caller", "t" + UUID.randomUUID() + ":");
        java.util.concurrent.atomic.AtomicReference<Object> left = new java.util.concurrent.atomic.AtomicReference<>("not run");
        Thread containerThread = new Thread(() -> {
            RedisHub deployed = RedisContract.connect(LocalRedis.uri(), "deployed", "t" + UUID.randomUUID() + ":"); // a deployment's start
            deployed.publish("room", "hello", KEEP);
            deployed.close(); // and its undeploy
            Recorder r = new Recorder();
            Hub.Subscription s = hub.subscribe("room", r, Long.MIN_VALUE, 10);
            hub.publish("room", "hello", KEEP);
            hub.publishLater("room", "later", KEEP).join();
            hub.enter("room", new Member("ann", "Ann", hub.node(), null), "ann joined", 10);
            hub.members("room");
            hub.leave("room", "ann", "ann left");
            hub.history("room", Long.MIN_VALUE, 10);
            hub.add("total", 1);
            hub.addLater("total", 2).join();
            hub.places().take("group", 5);
            hub.places().giveBack("group");
            r.await(4);
            s.close();
            hub.release("room");
            left.set(io.netty.util.internal.InternalThreadLocalMap.getIfSet());
        });
        containerThread.start();
        containerThread.join(30_000);
        assertThat(left.get()).as("Netty's thread-local map on the calling thread").isNull();
    }

    /**
     * A server's list of the topics it holds members in (read by whoever cleans up after it) forgets
     * each topic it released: a server that saw thousands of rooms come and go lists only its own.
     */
    @Test
    void aServersListOfHeldTopicsForgetsTheTopicsItReleased() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub hub = open("lister", prefix);
        RedisClient raw = RedisClient.create(LocalRedis.uri());
        try (var connection = raw.connect()) {
            for (int i = 0; i < 50; i++) {
                hub.enter("gone" + i, new Member("ann", "Ann", hub.node(), null), "ann joined");
                hub.leave("gone" + i, "ann", "ann left");
                hub.release("gone" + i);
            }
            hub.enter("kept", new Member("bob", "Bob", hub.node(), null), "bob joined");
            hub.release("kept"); // still held: listed, so that its member is removed if this server dies
            List<String> lists = connection.sync().keys(prefix + "{nodes}:topics:*");
            assertThat(lists).hasSize(1);
            Poll.until(java.time.Duration.ofSeconds(5), "only the held topic listed",
                    () -> connection.sync().smembers(lists.get(0)).equals(java.util.Set.of("kept")));
        } finally {
            raw.shutdown();
        }
    }

    /**
     * One topic waits for Redis (its gap is a 40 MB read back from the stream) while another topic's
     * publication, which needs nothing from Redis, arrives: it is delivered while the first still
     * waits. Topics have turns of their own; one dispatcher for all made the second wait behind the
     * whole read.
     */
    @Test
    void aTopicWaitingForRedisDelaysNoOtherTopicsDelivery() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub hub = open("turns", prefix);
        RedisClient raw = RedisClient.create(LocalRedis.uri());
        try (var connection = raw.connect()) {
            var redis = connection.sync();
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            hub.publish("slow", "first", KEEP);
            hub.publish("fast", "first", KEEP);
            hub.subscribe("slow", new Subscriber() {
                @Override
                public void deliver(Message message) {
                    if (message.text().equals("after the gap")) {
                        events.add("slow filled");
                    }
                }

                @Override
                public void flush() {
                }
            });
            hub.subscribe("fast", new Subscriber() {
                @Override
                public void deliver(Message message) {
                    events.add("fast " + message.text());
                }

                @Override
                public void flush() {
                }
            });
            History slow = hub.history("slow", Long.MIN_VALUE, 10);
            History fast = hub.history("fast", Long.MIN_VALUE, 10);
            // 4,000 entries of 10 kB put in the slow topic's stream behind its channel's back: the next
            // publication on the channel shows a gap, which its follower reads back from the stream.
            String big = "x".repeat(10_000);
            long offset = slow.lastOffset();
            for (int batch = 0; batch < 40; batch++) {
                connection.setAutoFlushCommands(false);
                List<io.lettuce.core.RedisFuture<String>> added = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    offset++;
                    added.add(connection.async().xadd(prefix + "{slow}:log", new XAddArgs().id(offset + "-0"),
                            Map.of("k", "t", "p", big, "c", "20064")));
                }
                connection.flushCommands();
                connection.setAutoFlushCommands(true);
                for (var future : added) {
                    future.get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            redis.hset(prefix + "{slow}:meta", "offset", Long.toString(offset + 1));
            redis.publish(prefix + "{slow}", slow.epoch() + "\n" + (offset + 1) + "\nt\nafter the gap");
            redis.publish(prefix + "{fast}", fast.epoch() + "\n" + (fast.lastOffset() + 1) + "\nt\nsecond");
            Poll.until(java.time.Duration.ofSeconds(30), "both delivered: " + events, () -> events.size() == 2);
            assertThat(events).containsExactly("fast second", "slow filled");
        } finally {
            raw.shutdown();
        }
    }

    /** Two servers on one Redis: what one publishes, the other's subscribers get, in one shared order. */
    @Test
    void twoServersShareTopicsPresenceAndCounters() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub first = open("first", prefix);
        RedisHub second = open("second", prefix);
        Recorder onFirst = new Recorder();
        Recorder onSecond = new Recorder();
        first.subscribe("room", onFirst);
        second.subscribe("room", onSecond);
        Concurrently.run(2, id -> {
            RedisHub hub = id == 0 ? first : second;
            for (int i = 0; i < 200; i++) {
                hub.publish("room", hub.node() + i, Retention.NONE);
            }
        });
        assertThat(onSecond.await(400)).extracting(Message::text)
                .isEqualTo(onFirst.await(400).stream().map(Message::text).toList());

        assertThat(first.enter("names", new Member("ann", "Ann", "first", null), "in")).isPresent();
        assertThat(second.enter("names", new Member("ann", "ANN", "second", null), "in")).as("unique across servers").isEmpty();
        assertThat(second.members("names")).extracting(Member::node).containsExactly("first");

        first.add("total", 5);
        Recorder watcher = new Recorder();
        second.watch("total", watcher);
        second.add("total", 2);
        assertThat(watcher.await(2)).extracting(Message::text).containsExactly("5", "7");
    }

    /**
     * A user connected through two servers is listed once; when one server dies, the user stays
     * listed (the other still holds the entry) and nobody hears a leave; when a server dies holding a
     * user's only connection, its holds go and the leave is announced once.
     */
    @Test
    void aDeadServerTakesOnlyItsOwnHoldsOnAUsersEntry() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub first = open("first", prefix);
        RedisHub second = open("second", prefix);
        RedisHub third = open("third", prefix);
        second.onOrphans("room", m -> "left " + m.name());
        third.onOrphans("room", m -> "left " + m.name());
        Recorder watcher = new Recorder();
        third.subscribe("room", watcher);

        assertThat(first.enter("room", new Member("ann", "Ann", first.node(), "user-1"), "joined Ann")).isPresent();
        assertThat(second.enter("room", new Member("ann", "Ann", second.node(), "user-1"), "again")).hasValue(Hub.NOT_ANNOUNCED);
        assertThat(first.enter("room", new Member("cid", "Cid", first.node(), "user-3"), "joined Cid")).isPresent();
        first.close(); // its goodbye: the others remove what it held at their next check

        Poll.until(java.time.Duration.ofSeconds(10), "Cid's leave announced",
                () -> watcher.all().stream().anyMatch(m -> "left Cid".equals(m.text())));
        assertThat(third.members("room")).extracting(Member::name).as("Ann is still connected through the second").containsExactly("Ann");
        assertThat(second.leave("room", "ann", "left Ann")).isPresent();
        assertThat(watcher.await(4)).extracting(Message::text).containsExactly("joined Ann", "joined Cid", "left Cid", "left Ann");
        assertThat(third.members("room")).isEmpty();
    }

    /** Places count on every server together; a dead server's are freed when the others clean up after it. */
    @Test
    void placesAreCountedAcrossServersAndADeadServersAreFreed() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub first = open("first", prefix);
        RedisHub second = open("second", prefix);
        assertThat(first.places().take("u-1", 3)).isTrue();
        assertThat(first.places().take("u-1", 3)).isTrue();
        assertThat(second.places().take("u-1", 3)).isTrue();
        assertThat(second.places().take("u-1", 3)).as("three on two servers").isFalse();
        first.close();
        Poll.until(java.time.Duration.ofSeconds(10), "the first server's places freed", () -> second.places().held("u-1") == 1);
        assertThat(second.places().take("u-1", 3)).isTrue();
    }

    /**
     * A server whose mark expired (a long outage) takes a new identity, and its old one is dead at
     * once: the others neither wait for its answers nor count it alive for nodeDeadAfterMs more.
     */
    @Test
    void aServerThatLostItsMarkIsAliveOnlyUnderItsNewIdentity() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub lost = new RedisHub(uri(), RedisHub.Options.of("lost", prefix).withDeadAfter(java.time.Duration.ofMillis(900)));
        RedisHub other = open("other", prefix);
        try {
            assertThat(lost.awaitAvailable(java.time.Duration.ofSeconds(10))).isTrue();
            String old = lost.node();
            Poll.until(java.time.Duration.ofSeconds(5), "the other sees it", () -> other.servers().contains(old));
            RedisClient raw = RedisClient.create(uri());
            try (var connection = raw.connect()) {
                connection.sync().del(prefix + "{nodes}:alive:" + old); // as if its mark had expired during an outage
            } finally {
                raw.shutdown();
            }
            Poll.until(java.time.Duration.ofSeconds(5), "a new identity", () -> !lost.node().equals(old));
            assertThat(other.servers()).as("the old life is dead at once").doesNotContain(old).contains(lost.node());
        } finally {
            lost.close();
        }
    }

    /** Scripts run by their SHA-1; after SCRIPT FLUSH (or a Redis restart) they are sent again, nothing fails. */
    @Test
    void aScriptFlushIsSurvived() {
        RedisHub hub = open("flush", "t" + UUID.randomUUID() + ":");
        long first = hub.publish("flushed", "a", Retention.NONE);
        RedisClient raw = RedisClient.create(uri());
        try (var connection = raw.connect()) {
            connection.sync().scriptFlush();
        } finally {
            raw.shutdown();
        }
        assertThat(hub.publish("flushed", "b", Retention.NONE)).isEqualTo(first + 1);
    }

    /**
     * A publication whose message never reached this server (a dropped subscription connection) is
     * read from the stream when the next one shows the gap: the subscriber still gets every retained
     * publication once, in order. The lost one is made by hand: the script's offset and stream
     * entry without its PUBLISH.
     */
    @Test
    void aPublicationLostOnTheWayIsReadFromTheStreamBeforeTheNextOne() {
        String prefix = "t" + UUID.randomUUID() + ":";
        RedisHub hub = open("gap", prefix);
        Retention keep = new Retention(10, Long.MAX_VALUE);
        Recorder subscriber = new Recorder();
        hub.subscribe("room", subscriber);
        hub.publish("room", "first", keep);
        subscriber.await(1);

        RedisClient raw = RedisClient.create(LocalRedis.uri());
        try (var connection = raw.connect()) {
            long lost = connection.sync().hincrby(prefix + "{room}:meta", "offset", 1);
            connection.sync().xadd(prefix + "{room}:log", new XAddArgs().id(lost + "-0"),
                    Map.of("k", "t", "p", "lost on the way", "c", "94"));
        } finally {
            raw.shutdown();
        }
        hub.publish("room", "third", keep);

        List<Message> seen = subscriber.await(3);
        assertThat(seen).extracting(Message::text).containsExactly("first", "lost on the way", "third");
        assertThat(seen.get(2).offset()).isEqualTo(seen.get(0).offset() + 2);
    }

    /**
     * A client filling room after room (here 1,000 rooms, 20 messages of 1,000 characters each: some
     * 20 MB of streams) leaves Redis holding at most the engine's history budget plus a fixed
     * overhead: the least recently published rooms lose their history, as in memory.
     */
    @Test
    void historyInAllTopicsTogetherStaysWithinTheEnginesBudget() throws Exception {
        long budget = 1 << 20;
        try (LocalRedis.Server own = LocalRedis.onFreePort().start();
             RedisClient admin = RedisClient.create(own.uri());
             var connection = admin.connect()) {
            RedisHub hub = new RedisHub(own.uri(), RedisHub.Options.of("filler", "m:").withHistoryBytes(budget), java.time.Clock.systemUTC());
            try {
                assertThat(hub.awaitAvailable(java.time.Duration.ofSeconds(10))).isTrue();
                long before = usedMemory(connection.sync().info("memory"));
                String text = "x".repeat(1000);
                Retention room = new Retention(50, 256 * 1024);
                for (int r = 0; r < 1000; r++) {
                    for (int i = 0; i < 20; i++) {
                        hub.publish("room-" + r, text, room);
                    }
                    hub.publish("arena-" + r, "a tick nobody keeps", Retention.NONE);
                }
                Poll.until(java.time.Duration.ofSeconds(20), "the history account within its budget",
                        () -> Long.parseLong(connection.sync().get("m:{history}:total")) <= budget);
                long overhead = 4L << 20; // 2,000 topics' meta hashes, the account, the scripts
                Poll.until(java.time.Duration.ofSeconds(10), "Redis's used_memory within the budget plus " + overhead,
                        () -> usedMemory(connection.sync().info("memory")) - before <= budget + overhead);
                assertThat(hub.history("room-999", Long.MIN_VALUE, 50).messages()).as("the latest room keeps its history").hasSize(20);
                assertThat(hub.history("room-0", Long.MIN_VALUE, 50).messages()).as("the oldest gave its up").isEmpty();
                assertThat(connection.sync().pttl("m:{history}:bytes")).as("the account expires when unused").isPositive();
            } finally {
                hub.close();
            }
        }
    }

    /** A clock a test moves on: a minute of idleness in no time. */
    private static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    /**
     * A client naming room after room, arena after arena: Redis knows at most {@code maxTopics}
     * topics. At exactly the budget nothing goes; one more, and the topic unused longest goes, never
     * one that members are in, that a server follows, or a counter. After a flood of 1,000 more
     * (rooms with history, arenas' topics and saved states), Redis's keys and used_memory are back
     * to what the budget allows.
     */
    @Test
    void redisKnowsAtMostMaxTopicsAndForgetsTheOnesUnusedLongestThatNobodyIsIn() throws Exception {
        MovableClock clock = new MovableClock();
        try (LocalRedis.Server own = LocalRedis.onFreePort().start();
             RedisClient admin = RedisClient.create(own.uri());
             var connection = admin.connect()) {
            var redis = connection.sync();
            RedisHub hub = new RedisHub(own.uri(), RedisHub.Options.of("namer", "n:").withTopics(100, java.time.Duration.ofMinutes(1)), clock);
            try {
                assertThat(hub.awaitAvailable(java.time.Duration.ofSeconds(10))).isTrue();
                hub.enter("occupied", new Member("k", "K", hub.node(), null), "in", 10);
                hub.add("total", 5);
                List<Message> followed = new java.util.concurrent.CopyOnWriteArrayList<>();
                hub.subscribe("followed", new Subscriber() {
                    @Override
                    public void deliver(Message message) {
                        followed.add(message);
                    }

                    @Override
                    public void flush() {
                    }
                });
                hub.publish("followed", "kept", new Retention(10, 1 << 20));
                for (int r = 0; r < 96; r++) {
                    hub.publish("room-" + r, "hello", new Retention(10, 1 << 20));
                }
                hub.keepTopicsWithinBudget();
                assertThat(redis.zcard("n:{topics}:seen")).as("topics known").isEqualTo(99);
                long before = usedMemory(redis.info("memory"));
                long keysBefore = redis.dbsize();

                hub.publish("room-96", "hello", new Retention(10, 1 << 20)); // the 100th
                clock.advance(java.time.Duration.ofMinutes(2));
                hub.keepTopicsWithinBudget();
                assertThat(redis.zcard("n:{topics}:seen")).as("exactly at the budget").isEqualTo(100);
                for (int r = 0; r <= 96; r++) {
                    assertThat(redis.exists("n:{room-" + r + "}:meta")).as("room-%d at the budget", r).isEqualTo(1);
                }

                hub.publish("room-new", "hello", new Retention(10, 1 << 20)); // one more
                hub.keepTopicsWithinBudget();
                assertThat(redis.zcard("n:{topics}:seen")).as("one past the budget").isEqualTo(100);
                long roomsLeft = java.util.stream.IntStream.rangeClosed(0, 96).filter(r -> redis.exists("n:{room-" + r + "}:meta") == 1).count();
                assertThat(roomsLeft).as("one idle room forgotten").isEqualTo(96);
                assertThat(redis.exists("n:{room-new}:meta")).isEqualTo(1);

                String text = "x".repeat(1000);
                for (int r = 0; r < 1000; r++) {
                    hub.publish("flood-" + r, text, new Retention(10, 1 << 20));
                    hub.publish("arena.flood-" + r + ".in", "join Ann", Retention.NONE);
                    hub.publish("arena.flood-" + r + ".state", "{}", new Retention(1, 1 << 20));
                }
                hub.keepTopicsWithinBudget(); // reported as used now; a minute later, unused for a minute
                clock.advance(java.time.Duration.ofMinutes(2));
                hub.keepTopicsWithinBudget();
                assertThat(redis.zcard("n:{topics}:seen")).as("after the flood").isLessThanOrEqualTo(100);
                assertThat(redis.dbsize()).as("keys").isLessThanOrEqualTo(keysBefore + 10);
                long allowance = 1L << 20; // the flood's own 100 topics at most, the account, the allocator
                Poll.until(java.time.Duration.ofSeconds(10), "used_memory back within " + allowance + " of before",
                        () -> usedMemory(redis.info("memory")) - before <= allowance);

                assertThat(hub.members("occupied")).as("a room members are in").extracting(Member::name).containsExactly("K");
                assertThat(hub.add("total", 1)).as("a counter").isEqualTo(new CounterChange.Counted(6, 2));
                hub.publish("followed", "still", new Retention(10, 1 << 20));
                Poll.until(java.time.Duration.ofSeconds(10), "the followed topic goes on in its epoch",
                        () -> followed.stream().map(Message::text).toList().equals(List.of("kept", "still")));
                assertThat(hub.history("followed", Long.MIN_VALUE, 10).messages()).extracting(Message::text).containsExactly("kept", "still");
            } finally {
                hub.close();
            }
        }
    }

    private static long usedMemory(String info) {
        return info.lines().filter(line -> line.startsWith("used_memory:")).map(line -> Long.parseLong(line.substring(12).strip()))
                .findFirst().orElseThrow();
    }
}
