package dev.socketworks.hub;

import io.lettuce.core.ScriptOutputType;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Topics held in Redis, shared by every server connected to it: the hub's operations, each one Lua
 * script, one round trip, atomic in Redis. A publication takes the topic's next offset, is kept in
 * the topic's stream when it is retained (the stream entry id is the offset), and is published with
 * its epoch and offset on the topic's channel. A topic's keys share a hash tag, so they stay in one
 * slot of a Redis Cluster, and expire when the topic is idle for {@code idleExpiry}.
 *
 * <p>The parts beside it: {@link RedisLink} (the client, reconnecting, every call on the engine's
 * own threads, errors), {@link RedisFollowing} (the topics this server follows, delivered in order
 * through the same {@link LocalFanout} as in memory, gaps filled from the stream), {@link
 * RedisServers} (which servers are alive), {@link RedisKeys} and the scripts ({@link LuaScript}).
 *
 * <p>Presence across servers: a server whose mark expired is dead; the first live server to claim
 * its clean-up removes its members, publishing each one's leave once (see {@link #onOrphans}), and
 * its places. A server that finds its own mark expired takes a new identity and tells its
 * subscribers to claim their presence again.
 *
 * <p>Redis unreachable: the hub starts anyway and connects in the background (not {@link #available});
 * every call then fails within {@code timeout} with {@link EngineUnavailableException}, and nothing
 * queues up for later except leaves and places given back.
 */
public final class RedisHub implements Hub {

    private static final Logger LOG = Logger.getLogger(RedisHub.class.getName());
    private static final Jsonb JSON = JsonbBuilder.create();

    /**
     * @param node       this server's name (readable: logs, presence)
     * @param prefix     put before every key and channel: several deployments (or tests) can share one Redis
     * @param timeout    the longest a call waits for Redis, connecting included
     * @param deadAfter  how long a silent server keeps its members
     * @param idleExpiry how long an unused topic's keys stay in Redis
     * @param historyBytes what every topic's history together may hold in Redis (what the payloads
     *                     cost, as in memory); past it, the least recently published topics lose theirs
     * @param maxTopics    how many topics Redis may know; past it, those unused longest are forgotten
     * @param topicMinIdle how long a topic must have been unused (and followed by no server) to be forgotten
     */
    public record Options(String node, String prefix, Duration timeout, Duration deadAfter, Duration idleExpiry, long historyBytes,
                          long maxTopics, Duration topicMinIdle) {
        public static Options of(String node, String prefix) {
            return new Options(node, prefix, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofDays(1), 64L << 20,
                    100_000, Duration.ofMinutes(1));
        }

        public Options withDeadAfter(Duration duration) {
            return new Options(node, prefix, timeout, duration, idleExpiry, historyBytes, maxTopics, topicMinIdle);
        }

        public Options withHistoryBytes(long bytes) {
            return new Options(node, prefix, timeout, deadAfter, idleExpiry, bytes, maxTopics, topicMinIdle);
        }

        public Options withTopics(long max, Duration minIdle) {
            return new Options(node, prefix, timeout, deadAfter, idleExpiry, historyBytes, max, minIdle);
        }
    }

    /** {@code redis-cluster://[user:password@]host:port[,host:port...]}: the seed nodes of a Redis Cluster. */
    public static final String CLUSTER_SCHEME = RedisLink.CLUSTER_SCHEME;

    private static final LuaScript PUBLISH = LuaScript.load("epoch", "publish");
    private static final LuaScript HISTORY = LuaScript.load("epoch", "history");
    private static final LuaScript ADD = LuaScript.load("epoch", "add");
    private static final LuaScript WATCH = LuaScript.load("epoch", "watch");
    private static final LuaScript ENTER = LuaScript.load("epoch", "members", "holds", "enter");
    private static final LuaScript LEAVE = LuaScript.load("epoch", "holds", "leave");
    private static final LuaScript HELD_BY = LuaScript.load("held-by");
    private static final LuaScript TAKE_PLACE = LuaScript.load("take-place");
    private static final LuaScript GIVE_BACK_PLACE = LuaScript.load("give-back-place");
    private static final LuaScript LIST_MEMBERS = LuaScript.load("members", "list-members");
    private static final LuaScript TOUCH = LuaScript.load("touch");
    private static final LuaScript LEASE = LuaScript.load("lease");
    private static final LuaScript RELEASE_LEASE = LuaScript.load("release-lease");
    private static final LuaScript ACCOUNT_HISTORY = LuaScript.load("account-history");
    private static final LuaScript DROP_HISTORY = LuaScript.load("drop-history");

    private record PendingLeave(String topic, String key, String announcement, String holder) {
    }

    private record PendingGiveBack(String group, String holder) {
    }

    private final Options options;
    private final Clock clock;
    private final RedisKeys keys;
    private final RedisLink link;
    private final RedisServers servers;
    private final RedisFollowing following;
    private final RedisTopicBudget topics;
    private final Map<String, Function<Member, String>> orphanAnnouncements = new ConcurrentHashMap<>();
    // Bounded by the members this server had: one entry per member that left while Redis was away.
    private final Queue<PendingLeave> pendingLeaves = new ConcurrentLinkedQueue<>();
    // Bounded by the connections this server had: one entry per place given back while Redis was away.
    private final Queue<PendingGiveBack> pendingGiveBacks = new ConcurrentLinkedQueue<>();

    /** Starts connecting in the background; the hub is usable (and {@link #available}) once connected. */
    public RedisHub(String uri, Options options) {
        this(uri, options, Clock.systemUTC());
    }

    /** As {@link #RedisHub(String, Options)} with the defaults, a test's shape. */
    public RedisHub(String uri, String node, String prefix) {
        this(uri, Options.of(node, prefix));
    }

    RedisHub(String uri, Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.keys = new RedisKeys(options.prefix());
        this.link = new RedisLink(uri, options.node(), options.timeout(), new RedisLink.Events() {
            @Override
            public void message(String channel, byte[] raw) {
                following.message(channel, raw);
            }

            @Override
            public void resubscribed(String channel) {
                following.resubscribed(channel);
            }

            @Override
            public void connected() {
                started();
            }
        });
        this.servers = new RedisServers(link, keys, options.node(), options.deadAfter());
        this.following = new RedisFollowing(link, keys, new RedisFollowing.Reader() {
            @Override
            public History history(String topic, long afterOffset, int limit) {
                return RedisHub.this.history(topic, afterOffset, limit);
            }

            @Override
            public Message counterNow(String topic) {
                return RedisHub.this.counterNow(topic);
            }
        }, options.node());
        this.topics = new RedisTopicBudget(link, keys, clock, options.maxTopics(), options.topicMinIdle(), options.idleExpiry(),
                following::topics, this::unaccountHistory);
        link.start();
    }

    /** On the keeper thread, once connected: alive for the others before this server is available (what it does next names it). */
    private void started() {
        LOG.info(() -> "In Redis as " + servers.identity());
        heartbeat();
        long deadAfter = options.deadAfter().toMillis();
        link.every(deadAfter / 3, this::heartbeat);
        link.every(deadAfter / 5, this::removeDeadServersHoldings);
        link.every(Math.max(1_000, options.idleExpiry().toMillis() / 4), this::renewFollowedTopics);
        link.every(RedisTopicBudget.REPORT_EVERY.toMillis(), this::keepTopicsWithinBudget);
    }

    /** On the keeper thread; in tests, at once. */
    void keepTopicsWithinBudget() {
        try {
            topics.report();
        } catch (EngineUnavailableException | java.util.concurrent.CompletionException e) {
            // Next round: what was used meanwhile is reported then.
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** The name, and this server's current life in Redis: what its presence entries are owned by. */
    @Override
    public String node() {
        return servers.identity();
    }

    /** Whether its mark in Redis is there: renewed three times within {@code deadAfter} while it lives, removed when it closes. */
    @Override
    public boolean isAlive(String node) {
        return servers.isAlive(node);
    }

    private static final LuaScript REVOKE = LuaScript.load("revoke");

    @Override
    public boolean revoke(String subject, java.time.Instant before, java.time.Duration keep) {
        link.run(REVOKE, io.lettuce.core.ScriptOutputType.INTEGER, new String[]{keys.revoked(subject)},
                Long.toString(before.toEpochMilli()).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Long.toString(Math.max(1, keep.toMillis())).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return true;
    }

    @Override
    public java.time.Instant revokedBefore(String subject) {
        byte[] value = link.call(redis -> redis.get(keys.revoked(subject)));
        return value == null ? null : java.time.Instant.ofEpochMilli(Long.parseLong(new String(value, java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Override
    public EngineStats stats() {
        return link.stats;
    }

    @Override
    public List<String> servers() {
        return servers.alive();
    }

    @Override
    public boolean isThisServer(String node) {
        return servers.isThisServer(node);
    }

    @Override
    public boolean available() {
        return link.available();
    }

    /** Waits until the first connection is made; whether it was, within {@code timeout}. */
    public boolean awaitAvailable(Duration timeout) throws InterruptedException {
        return link.awaitAvailable(timeout);
    }

    /** Publications this server could not dispatch in time (then read back from the stream, if retained). */
    public long droppedPublications() {
        return following.dropped();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(long number) {
        return utf8(Long.toString(number));
    }

    /** The arguments every epoch-creating script starts with: a new epoch's name, the time to live, its first offset. */
    private byte[][] epochArgs(boolean counter, byte[]... rest) {
        byte[][] args = new byte[3 + rest.length][];
        // A new epoch's name, used only if the topic has none: random enough, and no SecureRandom lock per publication.
        args[0] = utf8(Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
        args[1] = utf8(options.idleExpiry().toMillis());
        // A log's new epoch starts above the clock in µs, as in memory: ids keep increasing across a
        // lost past, so a client resuming with an old id is not mistaken for one that is up to date.
        args[2] = utf8(counter ? 0 : clock.millis() * 1000);
        System.arraycopy(rest, 0, args, 3, rest.length);
        return args;
    }

    private static long number(Object reply) {
        return reply instanceof Long n ? n : Long.parseLong(new String((byte[]) reply, StandardCharsets.UTF_8));
    }

    private static String text(Object reply) {
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    @Override
    public long publish(String topic, String text, Retention retention) {
        return publish(topic, RedisFollowing.TEXT, utf8(text), 2L * text.length() + 64, retention);
    }

    @Override
    public long publish(String topic, ByteBuffer data, Retention retention) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return publish(topic, RedisFollowing.BINARY, bytes, bytes.length + 64L, retention);
    }

    /** Pipelined on the connection to Redis, in the order made; the history account follows as after any publication. */
    @Override
    public CompletableFuture<Long> publishLater(String topic, String text, Retention retention) {
        topics.used(topic);
        return link.<List<Object>>runAsync(PUBLISH, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "meta"), keys.topic(topic, "log")},
                epochArgs(false, new byte[]{RedisFollowing.TEXT}, utf8(text), utf8(retention.maxMessages()), utf8(retention.maxBytes()),
                        utf8(2L * text.length() + 64), utf8(keys.channel(topic)))).thenApply(reply -> {
                            if (retention.maxMessages() > 0) {
                                accountHistory(topic, number(reply.get(1)));
                            }
                            return number(reply.get(0));
                        });
    }

    private long publish(String topic, byte kind, byte[] payload, long cost, Retention retention) {
        topics.used(topic);
        List<Object> reply = link.run(PUBLISH, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "meta"), keys.topic(topic, "log")},
                // The kind's byte, then when it was published: older readers take the first byte alone.
                epochArgs(false, (((char) kind) + Long.toString(System.currentTimeMillis())).getBytes(StandardCharsets.US_ASCII),
                        payload, utf8(retention.maxMessages()), utf8(retention.maxBytes()),
                        utf8(cost), utf8(keys.channel(topic))));
        if (retention.maxMessages() > 0) {
            accountHistory(topic, number(reply.get(1)));
        }
        return number(reply.get(0));
    }

    /**
     * Tells the engine-wide account what the topic's history holds now, and drops the history of the
     * topics it names until every topic's together fits {@code historyBytes}: the counterpart of the
     * in-memory budget. After the publication, not in its script: the account lives in one slot and a
     * topic in its own. Off the publisher's thread: it waits for none of this.
     */
    private void accountHistory(String topic, long bytes) {
        link.runLater(ACCOUNT_HISTORY, ScriptOutputType.MULTI, keys.historyAccount(),
                new byte[][]{utf8(topic), utf8(bytes), utf8(clock.millis()), utf8(options.historyBytes()), utf8(options.idleExpiry().toMillis())},
                (List<Object> victims) -> {
                    for (Object victim : victims) {
                        String other = text(victim);
                        link.runLater(DROP_HISTORY, ScriptOutputType.INTEGER, new String[]{keys.topic(other, "meta"), keys.topic(other, "log")}, new byte[0][],
                                (Long freed) -> link.runLater(ACCOUNT_HISTORY, ScriptOutputType.MULTI, keys.historyAccount(),
                                        new byte[][]{utf8(other), utf8(0), utf8(clock.millis()), utf8(options.historyBytes()),
                                                utf8(options.idleExpiry().toMillis())}, (List<Object> more) -> { }));
                    }
                });
    }

    /** A forgotten topic's history leaves the account. */
    private void unaccountHistory(String topic) {
        link.runLater(ACCOUNT_HISTORY, ScriptOutputType.MULTI, keys.historyAccount(),
                new byte[][]{utf8(topic), utf8(0), utf8(clock.millis()), utf8(options.historyBytes()), utf8(options.idleExpiry().toMillis())},
                (List<Object> victims) -> { });
    }

    @Override
    public History history(String topic, long afterOffset, int limit) {
        String start = afterOffset < 1 ? "-" : "(" + afterOffset + "-0";
        List<Object> reply = link.run(HISTORY, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "meta"), keys.topic(topic, "log")},
                epochArgs(false, utf8(start), utf8(limit)));
        String epoch = text(reply.get(0));
        long dropped = number(reply.get(2));
        List<Message> messages = new ArrayList<>();
        for (Object entry : (List<?>) reply.get(3)) {
            messages.add(fromStream(topic, epoch, (List<?>) entry));
        }
        return new History(epoch, number(reply.get(1)), dropped <= afterOffset, messages);
    }

    private static Message fromStream(String topic, String epoch, List<?> entry) {
        String id = text(entry.get(0));
        long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
        List<?> fields = (List<?>) entry.get(1);
        byte kind = 0;
        byte[] payload = new byte[0];
        for (int i = 0; i < fields.size(); i += 2) {
            String field = text(fields.get(i));
            if (field.equals("k")) {
                kind = ((byte[]) fields.get(i + 1))[0];
            } else if (field.equals("p")) {
                payload = (byte[]) fields.get(i + 1);
            }
        }
        return kind == RedisFollowing.BINARY
                ? new Message(topic, epoch, offset, null, ByteBuffer.wrap(payload))
                : new Message(topic, epoch, offset, new String(payload, StandardCharsets.UTF_8), null);
    }

    @Override
    public CounterChange add(String topic, long delta) {
        topics.used(topic);
        return counted(link.run(ADD, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "meta")}, epochArgs(true, utf8(delta), utf8(keys.channel(topic)))));
    }

    /** Pipelined: additions made one after another on this server run in that order, none waiting for the one before. */
    @Override
    public CompletableFuture<CounterChange> addLater(String topic, long delta) {
        topics.used(topic);
        return link.<List<Object>>runAsync(ADD, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "meta")},
                epochArgs(true, utf8(delta), utf8(keys.channel(topic)))).thenApply(RedisHub::counted);
    }

    private static CounterChange counted(List<Object> reply) {
        if (number(reply.get(0)) == 0) {
            return new CounterChange.Overflow();
        }
        return new CounterChange.Counted(number(reply.get(1)), number(reply.get(2)));
    }

    @Override
    public Optional<Entered> enter(String topic, Member member, String announcement, int listMax) {
        topics.used(topic);
        // Lets another server find this one's members if it dies (a different hash slot: a call of its own).
        String holder = servers.identity();
        link.call(redis -> redis.sadd(keys.nodes("topics:" + holder), utf8(topic)));
        List<Object> reply = link.run(ENTER, ScriptOutputType.MULTI, keys.presence(topic),
                epochArgs(false, utf8(member.key()), utf8(JSON.toJson(member)), utf8(announcement), utf8(keys.channel(topic)),
                        utf8(member.user() == null ? "" : member.user()), utf8(holder), utf8(listMax)));
        long offset = number(reply.get(0));
        if (offset == 0) {
            return Optional.empty();
        }
        return Optional.of(new Entered(offset < 0 ? NOT_ANNOUNCED : offset, JSON.fromJson(text(reply.get(3)), Member.class),
                (int) number(reply.get(1)), parseMembers(text(reply.get(2))), number(reply.get(4))));
    }

    private static OptionalLong announced(long offset) {
        return offset == 0 ? OptionalLong.empty() : OptionalLong.of(offset < 0 ? NOT_ANNOUNCED : offset);
    }

    /** Unreachable Redis: the leave is kept and made when it is back, so the member is not listed forever. */
    @Override
    public OptionalLong leave(String topic, String key, String announcement) {
        String holder = servers.identity();
        try {
            return leave(topic, key, announcement, holder, false);
        } catch (EngineUnavailableException e) {
            pendingLeaves.add(new PendingLeave(topic, key, announcement, holder));
            return OptionalLong.empty();
        }
    }

    /** Gives up one of {@code holder}'s holds on the entry, or all of them ({@code every}: the holder died). */
    private OptionalLong leave(String topic, String key, String announcement, String holder, boolean every) {
        Long offset = link.run(LEAVE, ScriptOutputType.INTEGER, keys.presence(topic),
                epochArgs(false, utf8(key), utf8(announcement), utf8(keys.channel(topic)), utf8(holder), utf8(every ? "1" : "0")));
        return announced(offset);
    }

    /**
     * A group's places are a hash of counts by server ({@code {places:GROUP}}); each server lists the
     * groups it holds places in ({@code {nodes}:places:NODE}) so that whoever cleans up after its death
     * can remove its counts. The hash expires after {@code idleExpiry} without a take: a count left by
     * a server nobody cleaned up after does not lock a user out for good.
     */
    private final Places places = new Places() {
        @Override
        public boolean take(String group, int max) {
            String holder = servers.identity();
            link.call(redis -> redis.sadd(keys.nodes("places:" + holder), utf8(group)));
            Long taken = link.run(TAKE_PLACE, ScriptOutputType.INTEGER, new String[]{keys.places(group)},
                    utf8(holder), utf8(max), utf8(options.idleExpiry().toMillis()));
            return taken == 1;
        }

        @Override
        public long held(String group) {
            long held = 0;
            for (byte[] count : link.call(redis -> redis.hvals(keys.places(group)))) {
                held += Long.parseLong(text(count));
            }
            return held;
        }

        @Override
        public void giveBack(String group) {
            String holder = servers.identity();
            try {
                giveBackPlace(group, holder);
            } catch (EngineUnavailableException e) {
                pendingGiveBacks.add(new PendingGiveBack(group, holder));
            }
        }
    };

    @Override
    public Places places() {
        return places;
    }

    private void giveBackPlace(String group, String holder) {
        Long left = link.run(GIVE_BACK_PLACE, ScriptOutputType.INTEGER, new String[]{keys.places(group)}, utf8(holder));
        if (left <= 0) {
            link.call(redis -> redis.srem(keys.nodes("places:" + holder), utf8(group)));
        }
    }

    @Override
    public List<Member> members(String topic) {
        byte[] json = link.run(LIST_MEMBERS, ScriptOutputType.VALUE, new String[]{keys.topic(topic, "members"), keys.topic(topic, "order")});
        return parseMembers(new String(json, StandardCharsets.UTF_8));
    }

    private List<Member> parseMembers(String json) {
        if (json.isEmpty()) {
            return List.of();
        }
        // A crowd's joiners get the same first members: compared (microseconds), not parsed again (a millisecond for 1,000).
        ParsedMembers last = lastParsed;
        if (last != null && last.json().equals(json)) {
            return last.members();
        }
        List<Member> members = List.of(JSON.fromJson(json, Member[].class));
        lastParsed = new ParsedMembers(json, members);
        return members;
    }

    private record ParsedMembers(String json, List<Member> members) {
    }

    private volatile ParsedMembers lastParsed;

    @Override
    public boolean lease(String name, Duration ttl) {
        Long held = link.run(LEASE, ScriptOutputType.INTEGER, new String[]{keys.lease(name)},
                utf8(options.node()), utf8(ttl.toMillis()));
        return held == 1;
    }

    @Override
    public void releaseLease(String name) {
        link.run(RELEASE_LEASE, ScriptOutputType.INTEGER, new String[]{keys.lease(name)}, utf8(options.node()));
    }

    @Override
    public void onOrphans(String topicPrefix, Function<Member, String> announcement) {
        orphanAnnouncements.put(topicPrefix, announcement);
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber) {
        return following.follow(topic, false, subscriber, () -> {
            History now = history(topic, Long.MAX_VALUE, 0);
            return new RedisFollowing.Start(now.epoch(), now.lastOffset(), List.of());
        });
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber, long afterOffset, int limit) {
        return following.follow(topic, false, subscriber, () -> {
            History past = history(topic, afterOffset, limit);
            // Served through the topic's offset: anything later than the replay comes live.
            return new RedisFollowing.Start(past.epoch(), past.lastOffset(), past.messages());
        });
    }

    @Override
    public Subscription watch(String topic, Subscriber subscriber) {
        return following.follow(topic, true, subscriber, () -> {
            Message now = counterNow(topic);
            return new RedisFollowing.Start(now.epoch(), now.offset(), List.of(now));
        });
    }

    private Message counterNow(String topic) {
        List<Object> reply = link.run(WATCH, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "meta")}, epochArgs(true));
        String epoch = text(reply.get(0));
        return new Message(topic, epoch, number(reply.get(2)), text(reply.get(1)), null);
    }


    /**
     * On the keeper thread: renews this server's mark. Finding it expired means other servers may be
     * removing this one's members: every subscriber claims its presence again under the new identity.
     * Leaves and places that could not be given back are given back now.
     */
    private void heartbeat() {
        try {
            if (servers.renew()) {
                following.presenceLost();
            }
            link.reportUp();
            for (PendingLeave leave; (leave = pendingLeaves.peek()) != null; pendingLeaves.remove()) {
                leave(leave.topic(), leave.key(), leave.announcement(), leave.holder(), false);
            }
            for (PendingGiveBack place; (place = pendingGiveBacks.peek()) != null; pendingGiveBacks.remove()) {
                giveBackPlace(place.group(), place.holder());
            }
        } catch (EngineUnavailableException e) {
            link.reportDown("Lost Redis at " + link.where() + ": " + e.getMessage() + "; reconnecting");
        }
    }

    /** On the keeper thread: what a dead server held (members, places) goes, each member's leave announced once. */
    private void removeDeadServersHoldings() {
        try {
            servers.cleanUpAfterDead(other -> {
                int removed = 0;
                for (byte[] topic : link.call(redis -> redis.smembers(keys.nodes("topics:" + other)))) {
                    removed += removeOrphans(text(topic), other);
                }
                link.call(redis -> redis.del(keys.nodes("topics:" + other)));
                for (byte[] group : link.call(redis -> redis.smembers(keys.nodes("places:" + other)))) {
                    link.call(redis -> redis.hdel(keys.places(text(group)), other));
                }
                link.call(redis -> redis.del(keys.nodes("places:" + other)));
                int count = removed;
                LOG.info(() -> "Server " + other + " stopped renewing its presence: removed its " + count + " member(s)");
            });
        } catch (EngineUnavailableException e) {
            // Next round.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Removing a dead server's members failed; trying again next round", e);
        }
    }

    private int removeOrphans(String topic, String deadIdentity) {
        Function<Member, String> announcement = orphanAnnouncements.entrySet().stream()
                .filter(e -> topic.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
        if (announcement == null) {
            LOG.warning(() -> "No announcement for members leaving " + topic + ": left in place");
            return 0;
        }
        Map<String, Member> present = new HashMap<>();
        members(topic).forEach(m -> present.put(m.key(), m));
        List<Object> held = link.run(HELD_BY, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "order"), keys.topic(topic, "holds")},
                utf8(deadIdentity));
        int removed = 0;
        for (Object key : held) {
            Member member = present.get(text(key));
            // Holder-checked: only the dead server's holds go; a user still connected elsewhere stays listed.
            if (member != null && leave(topic, member.key(), announcement.apply(member), deadIdentity, true).isPresent()) {
                removed++;
            }
        }
        return removed;
    }

    /** On the keeper thread: a topic with subscribers here is in use, so its keys must not expire. */
    private void renewFollowedTopics() {
        try {
            for (String topic : following.topics()) {
                link.run(TOUCH, ScriptOutputType.INTEGER, keys.everyOf(topic), utf8(options.idleExpiry().toMillis()));
            }
            String identity = servers.identity();
            link.call(redis -> redis.pexpire(keys.nodes("topics:" + identity), options.idleExpiry().toMillis()));
            link.call(redis -> redis.pexpire(keys.nodes("places:" + identity), options.idleExpiry().toMillis()));
        } catch (EngineUnavailableException e) {
            // Next round.
        }
    }

    @Override
    public int subscribers(String topic) {
        return following.subscribers(topic);
    }

    /**
     * Stops following a topic nobody here subscribes to; its data stays in Redis for the other
     * servers. This server's list of topics to clean up after it (were it to die) forgets the topic
     * unless it still holds members there: the list stays as small as what the server uses.
     */
    @Override
    public void release(String topic) {
        if (following.subscribers(topic) != 0) {
            return;
        }
        following.unfollow(topic);
        forgetHeldTopic(topic);
    }

    /**
     * Removed first, then checked: an entry made meanwhile is seen here (and the topic added back), or
     * its connection, which subscribes before it enters, is.
     */
    private void forgetHeldTopic(String topic) {
        String holder = servers.identity();
        try {
            link.call(redis -> redis.srem(keys.nodes("topics:" + holder), utf8(topic)));
            List<Object> held = link.run(HELD_BY, ScriptOutputType.MULTI, new String[]{keys.topic(topic, "order"), keys.topic(topic, "holds")},
                    utf8(holder));
            if (!held.isEmpty() || following.subscribers(topic) != 0) {
                link.call(redis -> redis.sadd(keys.nodes("topics:" + holder), utf8(topic)));
            }
        } catch (EngineUnavailableException e) {
            // Left listed: its clean-up, if this server dies, then finds nothing to remove there.
        }
    }

    /**
     * A goodbye: the leaves and places still owed are given back, and this server's mark is removed,
     * so the others remove any member it still holds at their next check rather than after {@code deadAfter}.
     */
    @Override
    public void close() {
        link.stopKeeping();
        following.shutdown();
        link.close(() -> {
            for (PendingLeave leave; (leave = pendingLeaves.poll()) != null; ) {
                leave(leave.topic(), leave.key(), leave.announcement(), leave.holder(), false);
            }
            for (PendingGiveBack place; (place = pendingGiveBacks.poll()) != null; ) {
                giveBackPlace(place.group(), place.holder());
            }
            servers.goodbye();
        });
        following.awaitEnd();
    }
}
