package dev.socketworks.hub;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Which servers are alive, in Redis. Each keeps a mark ({@code {nodes}:alive:ID}, time to live
 * {@code deadAfter}) renewed three times within it, and is listed in {@code {nodes}:all}. A listed
 * server whose mark expired is dead: the first live server to claim it cleans up after it. A server
 * that finds its own mark expired (its link was down too long) takes a new identity, so a late
 * clean-up of its old one cannot remove what it holds now.
 */
final class RedisServers {

    private static final Logger LOG = Logger.getLogger(RedisServers.class.getName());
    private static final LuaScript ALIVE = LuaScript.load("alive");

    private final RedisLink link;
    private final RedisKeys keys;
    private final String node;
    private final Duration deadAfter;
    private volatile String identity;
    private volatile boolean wasAlive;

    RedisServers(RedisLink link, RedisKeys keys, String node, Duration deadAfter) {
        this.link = link;
        this.keys = keys;
        this.node = node;
        this.deadAfter = deadAfter;
        this.identity = newIdentity(node);
    }

    private static String newIdentity(String node) {
        return node + "#" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    }

    /** The name, and this server's current life in Redis. */
    String identity() {
        return identity;
    }

    boolean isAlive(String other) {
        return other.equals(identity) || link.call(redis -> redis.exists(keys.nodes("alive:" + other))) > 0;
    }

    /** This server first, then every other listed server whose mark is there (one slot: one MGET). */
    java.util.List<String> alive() {
        java.util.List<String> alive = new java.util.ArrayList<>();
        String self = identity;
        alive.add(self);
        java.util.List<String> others = new java.util.ArrayList<>();
        for (byte[] entry : link.call(redis -> redis.smembers(keys.nodes("all")))) {
            String other = new String(entry, StandardCharsets.UTF_8);
            if (!other.equals(self)) {
                others.add(other);
            }
        }
        if (others.isEmpty()) {
            return alive;
        }
        String[] marks = others.stream().map(o -> keys.nodes("alive:" + o)).toArray(String[]::new);
        var values = link.call(redis -> redis.mget(marks));
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).hasValue()) {
                alive.add(others.get(i));
            }
        }
        java.util.Collections.sort(alive.subList(1, alive.size()));
        return alive;
    }

    /** Any life of this server, the current one or an earlier. */
    boolean isThisServer(String other) {
        return other.startsWith(node + "#");
    }

    /**
     * Renews this server's mark. True when the mark had expired since the last renewal: this server
     * now has a new identity, and whatever its old one held may be cleaned up by the others.
     */
    boolean renew() {
        boolean lost = aliveAs(identity) == null && wasAlive;
        if (lost) {
            String old = identity;
            identity = newIdentity(node);
            aliveAs(identity);
            // Checking the old life above marked it alive again: it is dead, now, not in deadAfter
            // (until then every server would count it among the live ones, and wait for its answers).
            link.call(redis -> redis.del(keys.nodes("alive:" + old)));
            LOG.warning(() -> "This server's presence in Redis expired (link down longer than "
                    + deadAfter.toMillis() + " ms?): " + old + " is now " + identity);
        }
        wasAlive = true;
        return lost;
    }

    private String aliveAs(String id) {
        byte[] was = link.run(ALIVE, ScriptOutputType.VALUE, new String[]{keys.nodes("alive:" + id), keys.nodes("all")},
                id.getBytes(StandardCharsets.UTF_8), Long.toString(deadAfter.toMillis()).getBytes(StandardCharsets.UTF_8));
        return was == null ? null : new String(was, StandardCharsets.UTF_8);
    }

    /**
     * For every listed server whose mark expired, if this one is first to claim it: {@code cleanUp}
     * with its identity, then the server is forgotten. The claim expires, so a server that dies
     * mid-way leaves the rest to the next.
     */
    void cleanUpAfterDead(Consumer<String> cleanUp) {
        for (byte[] entry : link.call(redis -> redis.smembers(keys.nodes("all")))) {
            String other = new String(entry, StandardCharsets.UTF_8);
            if (isAlive(other)) {
                continue;
            }
            String claimed = link.call(redis -> redis.set(keys.nodes("cleaning:" + other), identity.getBytes(StandardCharsets.UTF_8),
                    SetArgs.Builder.nx().px(deadAfter.toMillis())));
            if (claimed == null) {
                continue; // another server is on it
            }
            cleanUp.accept(other);
            link.call(redis -> redis.srem(keys.nodes("all"), entry));
        }
    }

    /** Gone at once, not after {@code deadAfter}: the others clean up after it at their next check. */
    void goodbye() {
        link.call(redis -> redis.del(keys.nodes("alive:" + identity)));
    }
}
