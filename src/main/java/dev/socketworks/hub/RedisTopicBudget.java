package dev.socketworks.hub;

import io.lettuce.core.ScriptOutputType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * How many topics Redis knows, at most. Clients name rooms and arenas, and each costs Redis a few keys
 * until it has been idle for {@code idleExpiry} (a day): a client naming room after room would fill
 * Redis with them. So every server reports the topics it used (once a second) and those it follows
 * (four times within {@code minIdle}) to one list ({@code {topics}:seen}); past {@code maxTopics}, the
 * topics unused longest, and not for {@code minIdle}, are forgotten: their keys go, unless members are
 * in them or they are counters. A followed topic is reported well within {@code minIdle}, so a topic
 * in use anywhere is never forgotten.
 */
final class RedisTopicBudget {

    private static final Logger LOG = Logger.getLogger(RedisTopicBudget.class.getName());
    private static final LuaScript SEEN = LuaScript.load("topics-seen");
    private static final LuaScript FORGET = LuaScript.load("forget-topic");
    private static final LuaScript KEPT = LuaScript.load("topic-kept");
    /** How often a server reports what it used. */
    static final Duration REPORT_EVERY = Duration.ofSeconds(1);
    /** Topics reported in one call, and forgotten in one round: a report or a clean-up is never one huge call. */
    private static final int BATCH = 1_000;
    /** Rounds of forgetting per report: past it, the next report goes on (the keeper also renews this server's liveness). */
    private static final int ROUNDS = 10;

    private final RedisLink link;
    private final RedisKeys keys;
    private final Clock clock;
    private final long maxTopics;
    private final Duration minIdle;
    /** How often a server reports every topic it follows: four times within {@code minIdle}. */
    private final Duration followedEvery;
    private final Duration ttl;
    private final Supplier<Collection<String>> followed;
    private final Consumer<String> forgotten;
    // Bounded by the topics this server used in one report's time: each is a topic it touched.
    private final Set<String> usedSinceReport = ConcurrentHashMap.newKeySet();
    private volatile long lastFollowedReport; // the keeper's; a test may report at the same time, harmlessly

    /**
     * @param followed  the topics this server follows now
     * @param forgotten told of each topic forgotten (its history leaves the engine's history account)
     */
    RedisTopicBudget(RedisLink link, RedisKeys keys, Clock clock, long maxTopics, Duration minIdle, Duration ttl,
                     Supplier<Collection<String>> followed, Consumer<String> forgotten) {
        this.link = link;
        this.keys = keys;
        this.clock = clock;
        this.maxTopics = maxTopics;
        this.minIdle = minIdle;
        this.followedEvery = minIdle.dividedBy(4);
        this.ttl = ttl;
        this.followed = followed;
        this.forgotten = forgotten;
    }

    /** A topic was used here (published to, entered, read, followed): on the hot path, one set insertion. */
    void used(String topic) {
        usedSinceReport.add(topic);
    }

    /** On the keeper thread, every {@link #REPORT_EVERY}: reports, and forgets what is over the budget. */
    void report() {
        List<String> report = new ArrayList<>(usedSinceReport);
        usedSinceReport.removeAll(report);
        long now = clock.millis();
        if (now - lastFollowedReport >= followedEvery.toMillis()) {
            lastFollowedReport = now;
            report.addAll(followed.get());
        }
        long before = now - minIdle.toMillis();
        List<Object> toForget = List.of();
        int at = 0;
        do {
            List<String> batch = report.subList(at, Math.min(report.size(), at + BATCH));
            at += batch.size();
            toForget = seen(now, before, batch);
        } while (at < report.size());
        int forgottenNow = 0;
        for (int round = 0; round < ROUNDS && !toForget.isEmpty(); round++) {
            forgottenNow += forget(toForget, now, before);
            toForget = seen(now, before, List.of());
        }
        if (forgottenNow > 0) {
            int count = forgottenNow;
            LOG.fine(() -> count + " unused topics forgotten: more than " + maxTopics + " were known");
        }
    }

    /** Pipelined: a round of a thousand takes a few round trips' time, not a thousand. */
    private int forget(List<Object> topics, long now, long before) {
        List<String> names = new ArrayList<>();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (Object topicBytes : topics) {
            String topic = new String((byte[]) topicBytes, StandardCharsets.UTF_8);
            names.add(topic);
            answers.add(link.<Long>runAsync(FORGET, ScriptOutputType.INTEGER, keys.everyOf(topic), new byte[0][])
                    .thenCompose(gone -> link.<Long>runAsync(KEPT, ScriptOutputType.INTEGER, new String[]{keys.seenTopics()},
                                    new byte[][]{utf8(now), utf8(before), utf8(topic), utf8(gone)})
                            .thenApply(done -> gone == 1)));
        }
        int count = 0;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).join()) {
                count++;
                forgotten.accept(names.get(i));
            }
        }
        return count;
    }

    private List<Object> seen(long now, long before, List<String> topics) {
        byte[][] args = new byte[5 + topics.size()][];
        args[0] = utf8(ttl.toMillis());
        args[1] = utf8(maxTopics);
        args[2] = utf8(now);
        args[3] = utf8(before);
        args[4] = utf8(BATCH);
        for (int i = 0; i < topics.size(); i++) {
            args[5 + i] = utf8(topics.get(i));
        }
        return link.run(SEEN, ScriptOutputType.MULTI, new String[]{keys.seenTopics()}, args);
    }

    private static byte[] utf8(long number) {
        return utf8(Long.toString(number));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
