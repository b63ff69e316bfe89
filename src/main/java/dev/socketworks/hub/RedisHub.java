package dev.socketworks.hub;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Topics held in Redis, shared by every server connected to it. Each operation is one Lua script,
 * one round trip, atomic in Redis: it takes the topic's next offset, keeps the publication in the
 * topic's stream when it is retained (the stream entry id is the offset), and publishes it with its
 * epoch and offset on the topic's channel. A topic's keys share a hash tag, so they stay in one slot
 * of a Redis Cluster.
 *
 * <p>This server subscribes once per topic, not per client, and fans out to its local subscribers
 * as the in-memory hub does. Publications arrive on one dispatcher thread, in offset order per
 * topic: a duplicate is dropped and a gap is first filled from the stream, so a subscriber sees
 * every retained publication once, in order. A joiner reads history and the topic's offset under
 * the topic's local lock, after its channel subscription is confirmed: publications up to that
 * offset come from history, later ones live, with no gap and no duplicate between them.
 */
public final class RedisHub implements Hub, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisHub.class.getName());
    private static final Jsonb JSON = JsonbBuilder.create();
    private static final byte TEXT = 't';
    private static final byte BINARY = 'b';

    // Shared by the scripts: the topic's epoch is created on first use.
    private static final String EPOCH = """
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then epoch = ARGV[1]; redis.call('HSET', KEYS[1], 'epoch', epoch) end
            """;

    private static final String MEMBERS = """
            local function members_json(members, order)
              local keys = redis.call('ZRANGE', order, 0, -1)
              if #keys == 0 then return '[]' end
              return '[' .. table.concat(redis.call('HMGET', members, unpack(keys)), ',') .. ']'
            end
            """;

    /** KEYS meta, log; ARGV epoch, kind, payload, maxMessages, maxBytes, cost, channel. */
    private static final String PUBLISH = EPOCH + """
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            local maxMessages = tonumber(ARGV[4])
            if maxMessages > 0 then
              local maxBytes = tonumber(ARGV[5])
              local cost = tonumber(ARGV[6])
              if cost > maxBytes then
                redis.call('HSET', KEYS[1], 'dropped', offset)
              else
                redis.call('XADD', KEYS[2], offset .. '-0', 'k', ARGV[2], 'p', ARGV[3], 'c', ARGV[6])
                local used = redis.call('HINCRBY', KEYS[1], 'bytes', cost)
                local count = redis.call('XLEN', KEYS[2])
                while count > maxMessages or used > maxBytes do
                  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
                  local fields = oldest[2]
                  local c = 0
                  for i = 1, #fields, 2 do if fields[i] == 'c' then c = tonumber(fields[i + 1]) end end
                  redis.call('XDEL', KEYS[2], oldest[1])
                  used = redis.call('HINCRBY', KEYS[1], 'bytes', -c)
                  count = count - 1
                  redis.call('HSET', KEYS[1], 'dropped', string.match(oldest[1], '^(%d+)'))
                end
              end
            end
            redis.call('PUBLISH', ARGV[7], epoch .. '\\n' .. offset .. '\\n' .. ARGV[2] .. '\\n\\n' .. ARGV[3])
            return offset
            """;

    /** KEYS meta, log; ARGV epoch, start id, limit. Returns epoch, last offset, dropped, entries. */
    private static final String HISTORY = EPOCH + """
            local meta = redis.call('HMGET', KEYS[1], 'offset', 'dropped')
            local entries = {}
            if tonumber(ARGV[3]) > 0 then
              entries = redis.call('XRANGE', KEYS[2], ARGV[2], '+', 'COUNT', ARGV[3])
            end
            return {epoch, meta[1] or '0', meta[2] or '0', entries}
            """;

    /** KEYS meta; ARGV epoch, delta, channel. Returns {1, value, offset}, or {0} on overflow. */
    private static final String ADD = EPOCH + """
            local ok = pcall(redis.call, 'HINCRBY', KEYS[1], 'value', ARGV[2])
            if not ok then return {0} end
            local value = redis.call('HGET', KEYS[1], 'value')
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            redis.call('PUBLISH', ARGV[3], epoch .. '\\n' .. offset .. '\\nt\\n\\n' .. value)
            return {1, value, offset}
            """;

    /** KEYS meta; ARGV epoch. Returns epoch, value, offset. */
    private static final String WATCH = EPOCH + """
            local meta = redis.call('HMGET', KEYS[1], 'value', 'offset')
            return {epoch, meta[1] or '0', meta[2] or '0'}
            """;

    /** KEYS meta, members, order; ARGV epoch, key, member, announcement, channel. Returns the offset or 0. */
    private static final String ENTER = EPOCH + MEMBERS + """
            if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3]) == 0 then return 0 end
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            redis.call('ZADD', KEYS[3], offset, ARGV[2])
            redis.call('PUBLISH', ARGV[5], epoch .. '\\n' .. offset .. '\\nt\\n' .. members_json(KEYS[2], KEYS[3]) .. '\\n' .. ARGV[4])
            return offset
            """;

    /** KEYS meta, members, order; ARGV epoch, key, announcement, channel. Returns the offset or 0. */
    private static final String LEAVE = EPOCH + MEMBERS + """
            if redis.call('HDEL', KEYS[2], ARGV[2]) == 0 then return 0 end
            redis.call('ZREM', KEYS[3], ARGV[2])
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            redis.call('PUBLISH', ARGV[4], epoch .. '\\n' .. offset .. '\\nt\\n' .. members_json(KEYS[2], KEYS[3]) .. '\\n' .. ARGV[3])
            return offset
            """;

    /** KEYS members, order. */
    private static final String LIST_MEMBERS = MEMBERS + """
            return members_json(KEYS[1], KEYS[2])
            """;

    /** One topic as this server follows it: its local subscribers and the last offset dispatched. */
    private final class Followed {
        final String topic;
        final ReentrantLock lock = new ReentrantLock();
        // Changed under lock; read without it for a count.
        final List<Local> subscribers = new CopyOnWriteArrayList<>();
        // Guarded by lock.
        long lastOffset = -1; // -1: nothing dispatched yet
        String epoch;

        Followed(String topic) {
            this.topic = topic;
        }
    }

    /** A local subscriber and the offset up to which it was served at subscription (history or nothing). */
    private record Local(Subscriber subscriber, long servedThrough) {
    }

    private final String node;
    private final String prefix;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisCommands<String, byte[]> redis;
    private final StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private final ExecutorService dispatcher;
    private final ConcurrentHashMap<String, Followed> followed = new ConcurrentHashMap<>(); // by channel

    /**
     * @param uri    redis://[user:password@]host:port[/db] or rediss://
     * @param prefix put before every key and channel: several deployments (or tests) can share one Redis
     */
    public RedisHub(String uri, String node, String prefix) {
        this.node = node;
        this.prefix = prefix;
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        this.client = RedisClient.create(RedisURI.create(uri));
        this.connection = client.connect(codec);
        this.redis = connection.sync();
        this.pubsub = client.connectPubSub(codec);
        // Publications are handled off Lettuce's event loop: filling a gap is a blocking call.
        this.dispatcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "socketworks-redis-hub-" + node);
            t.setDaemon(true);
            return t;
        });
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                dispatcher.execute(() -> dispatch(channel, message));
            }
        });
    }

    @Override
    public String node() {
        return node;
    }

    private String meta(String topic) {
        return prefix + "{" + topic + "}:meta";
    }

    private String log(String topic) {
        return prefix + "{" + topic + "}:log";
    }

    private String members(String topic, String part) {
        return prefix + "{" + topic + "}:" + part;
    }

    private String channel(String topic) {
        return prefix + "{" + topic + "}";
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf8(long number) {
        return utf8(Long.toString(number));
    }

    private static byte[] newEpoch() {
        return utf8(UUID.randomUUID().toString().substring(0, 8));
    }

    private static long number(Object reply) {
        return reply instanceof Long n ? n : Long.parseLong(new String((byte[]) reply, StandardCharsets.UTF_8));
    }

    private static String text(Object reply) {
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    @Override
    public long publish(String topic, String text, Retention retention) {
        return publish(topic, TEXT, utf8(text), 2L * text.length() + 64, retention);
    }

    @Override
    public long publish(String topic, ByteBuffer data, Retention retention) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return publish(topic, BINARY, bytes, bytes.length + 64L, retention);
    }

    private long publish(String topic, byte kind, byte[] payload, long cost, Retention retention) {
        Long offset = redis.eval(PUBLISH, ScriptOutputType.INTEGER, new String[]{meta(topic), log(topic)},
                newEpoch(), new byte[]{kind}, payload, utf8(retention.maxMessages()), utf8(retention.maxBytes()),
                utf8(cost), utf8(channel(topic)));
        return offset;
    }

    @Override
    public History history(String topic, long afterOffset, int limit) {
        String start = afterOffset < 1 ? "-" : "(" + afterOffset + "-0";
        List<Object> reply = redis.eval(HISTORY, ScriptOutputType.MULTI, new String[]{meta(topic), log(topic)},
                newEpoch(), utf8(start), utf8(limit));
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
        return kind == BINARY
                ? new Message(topic, epoch, offset, null, ByteBuffer.wrap(payload), null)
                : new Message(topic, epoch, offset, new String(payload, StandardCharsets.UTF_8), null, null);
    }

    @Override
    public CounterChange add(String topic, long delta) {
        List<Object> reply = redis.eval(ADD, ScriptOutputType.MULTI, new String[]{meta(topic)},
                newEpoch(), utf8(delta), utf8(channel(topic)));
        if (number(reply.get(0)) == 0) {
            return new CounterChange.Overflow();
        }
        return new CounterChange.Counted(number(reply.get(1)), number(reply.get(2)));
    }

    @Override
    public OptionalLong enter(String topic, Member member, String announcement) {
        Long offset = redis.eval(ENTER, ScriptOutputType.INTEGER,
                new String[]{meta(topic), members(topic, "members"), members(topic, "order")},
                newEpoch(), utf8(member.key()), utf8(JSON.toJson(member)), utf8(announcement), utf8(channel(topic)));
        return offset == 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public OptionalLong leave(String topic, String key, String announcement) {
        Long offset = redis.eval(LEAVE, ScriptOutputType.INTEGER,
                new String[]{meta(topic), members(topic, "members"), members(topic, "order")},
                newEpoch(), utf8(key), utf8(announcement), utf8(channel(topic)));
        return offset == 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public List<Member> members(String topic) {
        byte[] json = redis.eval(LIST_MEMBERS, ScriptOutputType.VALUE,
                new String[]{members(topic, "members"), members(topic, "order")});
        return parseMembers(new String(json, StandardCharsets.UTF_8));
    }

    private static List<Member> parseMembers(String json) {
        return json.isEmpty() ? null : Arrays.asList(JSON.fromJson(json, Member[].class));
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber) {
        return follow(topic, subscriber, t -> {
            History now = history(topic, Long.MAX_VALUE, 0);
            return new Start(now.epoch(), now.lastOffset(), List.of());
        });
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber, long afterOffset, int limit) {
        return follow(topic, subscriber, t -> {
            History past = history(topic, afterOffset, limit);
            // Served through the topic's offset: anything later than the replay comes live.
            return new Start(past.epoch(), past.lastOffset(), past.messages());
        });
    }

    @Override
    public Subscription watch(String topic, Subscriber subscriber) {
        return follow(topic, subscriber, t -> {
            List<Object> reply = redis.eval(WATCH, ScriptOutputType.MULTI, new String[]{meta(topic)}, newEpoch());
            String epoch = text(reply.get(0));
            long offset = number(reply.get(2));
            return new Start(epoch, offset, List.of(new Message(topic, epoch, offset, text(reply.get(1)), null, null)));
        });
    }

    private record Start(String epoch, long servedThrough, List<Message> first) {
    }

    private Subscription follow(String topic, Subscriber subscriber, java.util.function.Function<Followed, Start> start) {
        String channel = channel(topic);
        Followed f = followed.computeIfAbsent(channel, c -> {
            pubsub.sync().subscribe(c); // confirmed before any history is read
            return new Followed(topic);
        });
        Local local;
        List<Message> first;
        f.lock.lock();
        try {
            Start s = start.apply(f);
            first = s.first();
            first.forEach(subscriber::deliver);
            local = new Local(subscriber, s.servedThrough());
            f.subscribers.add(local);
            if (f.lastOffset < 0 || !s.epoch().equals(f.epoch)) {
                f.lastOffset = s.servedThrough();
                f.epoch = s.epoch();
            }
        } finally {
            f.lock.unlock();
        }
        if (!first.isEmpty()) {
            subscriber.flush();
        }
        return () -> {
            f.lock.lock();
            try {
                f.subscribers.remove(local);
            } finally {
                f.lock.unlock();
            }
        };
    }

    /** On the dispatcher thread: one publication from the channel, in the order Redis published them. */
    private void dispatch(String channel, byte[] raw) {
        Followed f = followed.get(channel);
        if (f == null) {
            return;
        }
        Message message;
        try {
            message = decode(f.topic, raw);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unreadable publication on " + channel, e);
            return;
        }
        List<Subscriber> recipients = new ArrayList<>();
        f.lock.lock();
        try {
            if (!message.epoch().equals(f.epoch)) {
                f.epoch = message.epoch(); // the topic's past was lost: start over from here
                f.lastOffset = message.offset() - 1;
            }
            if (message.offset() <= f.lastOffset) {
                return; // already delivered (or served from history to everyone following)
            }
            List<Message> missed = message.offset() > f.lastOffset + 1
                    ? history(f.topic, f.lastOffset, (int) Math.min(Integer.MAX_VALUE, message.offset() - f.lastOffset - 1)).messages()
                    : List.of();
            for (Message m : missed) {
                if (m.offset() < message.offset()) {
                    deliver(f, m, recipients);
                }
            }
            deliver(f, message, recipients);
            f.lastOffset = message.offset();
        } finally {
            f.lock.unlock();
        }
        recipients.forEach(Subscriber::flush);
    }

    private static void deliver(Followed f, Message message, List<Subscriber> recipients) {
        for (Local local : f.subscribers) {
            if (message.offset() > local.servedThrough()) {
                local.subscriber().deliver(message);
                if (!recipients.contains(local.subscriber())) {
                    recipients.add(local.subscriber());
                }
            }
        }
    }

    /** "epoch\noffset\nkind\nmembers\npayload", the payload binary-safe. */
    private static Message decode(String topic, byte[] raw) {
        int[] at = new int[4];
        int found = 0;
        for (int i = 0; i < raw.length && found < 4; i++) {
            if (raw[i] == '\n') {
                at[found++] = i;
            }
        }
        if (found < 4) {
            throw new IllegalArgumentException("not a publication");
        }
        String epoch = new String(raw, 0, at[0], StandardCharsets.UTF_8);
        long offset = Long.parseLong(new String(raw, at[0] + 1, at[1] - at[0] - 1, StandardCharsets.US_ASCII));
        byte kind = raw[at[1] + 1];
        List<Member> members = parseMembers(new String(raw, at[2] + 1, at[3] - at[2] - 1, StandardCharsets.UTF_8));
        byte[] payload = Arrays.copyOfRange(raw, at[3] + 1, raw.length);
        return kind == BINARY
                ? new Message(topic, epoch, offset, null, ByteBuffer.wrap(payload), members)
                : new Message(topic, epoch, offset, new String(payload, StandardCharsets.UTF_8), null, members);
    }

    @Override
    public int subscribers(String topic) {
        Followed f = followed.get(channel(topic));
        return f == null ? 0 : f.subscribers.size();
    }

    /** Stops following a topic nobody here subscribes to; its data stays in Redis for the other servers. */
    @Override
    public void release(String topic) {
        String channel = channel(topic);
        Followed f = followed.get(channel);
        if (f != null && subscribers(topic) == 0 && followed.remove(channel, f)) {
            pubsub.sync().unsubscribe(channel);
        }
    }

    @Override
    public void close() {
        dispatcher.shutdownNow();
        pubsub.close();
        connection.close();
        client.shutdown();
    }
}
