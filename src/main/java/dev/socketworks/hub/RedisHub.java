package dev.socketworks.hub;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Topics held in Redis, shared by every server connected to it. Each operation is one Lua script,
 * one round trip, atomic in Redis: it takes the topic's next offset, keeps the publication in the
 * topic's stream when it is retained (the stream entry id is the offset), and publishes it with its
 * epoch and offset on the topic's channel. A topic's keys share a hash tag, so they stay in one slot
 * of a Redis Cluster, and expire when the topic is idle for {@code idleExpiry}.
 *
 * <p>This server subscribes once per topic, not per client, and fans out to its local subscribers
 * through the same local fan-out as the in-memory hub ({@link LocalFanout}). Publications are
 * delivered on the topic's turn of a small pool ({@link SerialQueues}), in offset order per
 * topic: a duplicate is dropped and a gap is first filled from the stream, so a subscriber sees
 * every retained publication once, in order. After its link to Redis comes back, each topic is read
 * from the stream from where it stopped; a topic whose epoch changed (Redis lost it) is announced to
 * its subscribers as a {@link Subscriber#reset reset}. A joiner reads history and the topic's offset
 * under the topic's local lock, after its channel subscription is confirmed: publications up to that
 * offset come from history, later ones live, with no gap and no duplicate between them.
 *
 * <p>Presence across servers: each server keeps a liveness key (time to live {@code deadAfter}),
 * renewed three times within it. A server whose key expired is dead: the first live server to claim
 * its clean-up removes its members, publishing each one's leave once (see {@link #onOrphans}). A
 * server that finds its own key expired (its link was down too long) takes a new identity and
 * tells its subscribers to claim their presence again, so a late clean-up of its old identity
 * cannot remove them.
 *
 * <p>Redis unreachable: the hub starts anyway and connects in the background (not {@link #available});
 * every call then fails within {@code timeout} with {@link EngineUnavailableException}, and nothing
 * queues up for later except leaves.
 */
public final class RedisHub implements Hub {

    private static final Logger LOG = Logger.getLogger(RedisHub.class.getName());
    private static final Jsonb JSON = JsonbBuilder.create();
    private static final byte TEXT = 't';
    private static final byte BINARY = 'b';
    private static final byte PRESENCE = 'p';
    /** Publications waiting for delivery, all topics together; past it a publication is dropped and read back from the stream. */
    private static final int DISPATCH_QUEUE = 65_536;
    private static final Duration RETRY_CONNECT = Duration.ofSeconds(1);

    /**
     * @param node       this server's name (readable: logs, presence)
     * @param prefix     put before every key and channel: several deployments (or tests) can share one Redis
     * @param timeout    the longest a call waits for Redis, connecting included
     * @param deadAfter  how long a silent server keeps its members
     * @param idleExpiry how long an unused topic's keys stay in Redis
     * @param historyBytes what every topic's history together may hold in Redis (what the payloads
     *                     cost, as in memory); past it, the least recently published topics lose theirs
     */
    public record Options(String node, String prefix, Duration timeout, Duration deadAfter, Duration idleExpiry, long historyBytes) {
        public static Options of(String node, String prefix) {
            return new Options(node, prefix, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofDays(1), 64L << 20);
        }

        public Options withDeadAfter(Duration duration) {
            return new Options(node, prefix, timeout, duration, idleExpiry, historyBytes);
        }

        public Options withHistoryBytes(long bytes) {
            return new Options(node, prefix, timeout, deadAfter, idleExpiry, bytes);
        }
    }

    // The Lua scripts are resource files (dev/socketworks/hub/lua/*.lua), each headed by the KEYS and
    // ARGV it takes; a script starts with the shared fragments it names (epoch, members, holds).
    private static final Script PUBLISH = Script.load("epoch", "publish");
    private static final Script HISTORY = Script.load("epoch", "history");
    private static final Script ADD = Script.load("epoch", "add");
    private static final Script WATCH = Script.load("epoch", "watch");
    private static final Script ENTER = Script.load("epoch", "members", "holds", "enter");
    private static final Script LEAVE = Script.load("epoch", "holds", "leave");
    private static final Script HELD_BY = Script.load("held-by");
    private static final Script TAKE_PLACE = Script.load("take-place");
    private static final Script GIVE_BACK_PLACE = Script.load("give-back-place");
    private static final Script LIST_MEMBERS = Script.load("members", "list-members");
    private static final Script TOUCH = Script.load("touch");
    private static final Script ALIVE = Script.load("alive");
    private static final Script LEASE = Script.load("lease");
    private static final Script RELEASE_LEASE = Script.load("release-lease");
    private static final Script ACCOUNT_HISTORY = Script.load("account-history");
    private static final Script DROP_HISTORY = Script.load("drop-history");

    /** A script sent once by its SHA-1; its source only when Redis does not know it (a restart, a new server, a flush). */
    private record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }

        /** The fragments and then the script, read from the class path once, at class loading. */
        static Script load(String... files) {
            StringBuilder source = new StringBuilder();
            for (String file : files) {
                try (java.io.InputStream in = RedisHub.class.getResourceAsStream("lua/" + file + ".lua")) {
                    if (in == null) {
                        throw new IllegalStateException("missing script lua/" + file + ".lua beside RedisHub");
                    }
                    source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return new Script(source.toString());
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * One topic as this server follows it: its local subscribers, the last offset dispatched, and its
     * turn on the delivery pool, which runs its publications in order and other topics' beside them.
     */
    private static final class Followed {
        final String topic;
        final boolean counter;
        final SerialQueues.Queue queue;
        final ReentrantLock lock = new ReentrantLock();
        final LocalFanout subscribers = new LocalFanout(); // guarded by lock; sized without it
        // Guarded by lock. A null epoch: nothing known yet.
        long lastOffset;
        String epoch;

        Followed(String topic, boolean counter, SerialQueues.Queue queue) {
            this.topic = topic;
            this.counter = counter;
            this.queue = queue;
        }
    }

    /** Publications a subscriber may wait for while its history is read: past it, the start reads again under the lock. */
    private static final int MAX_STARTING = 10_000;

    private record Link(StatefulConnection<String, byte[]> connection, RedisClusterCommands<String, byte[]> commands,
                        RedisClusterAsyncCommands<String, byte[]> async, StatefulRedisPubSubConnection<String, byte[]> pubsub) {
        boolean isOpen() {
            return connection.isOpen() && pubsub.isOpen();
        }
    }

    private record PendingLeave(String topic, String key, String announcement, String holder) {
    }

    private record PendingGiveBack(String group, String holder) {
    }

    private final Options options;
    private final String where;
    private final Clock clock;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final RedisCodec<String, byte[]> codec;
    private final SerialQueues delivery;
    private final ScheduledExecutorService keeper;
    private final ThreadPoolExecutor callers;
    private final ThreadPoolExecutor issuer;
    private final ThreadPoolExecutor sending;
    /** Threads starting sends after each delivery: as many blocked sends as this, less one, leave the others going. */
    private static final int SENDERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Calls to Redis in flight from other threads at once: each waits a round trip, all share one connection. */
    private static final int CALLERS = 16;
    /** Calls waiting for a caller thread (or for the issuer): past it a call fails as if Redis were away. */
    private static final int CALLS_WAITING = 10_000;
    private static final java.time.Duration CATCH_UP_RETRY = java.time.Duration.ofMillis(500);
    private static final int CATCH_UP_ATTEMPTS = 120; // a minute: past it, the next (re)subscription catches up
    private final CountDownLatch firstConnection = new CountDownLatch(1);
    private final ConcurrentHashMap<String, Followed> followed = new ConcurrentHashMap<>(); // by channel
    private final java.util.Set<String> confirmedChannels = ConcurrentHashMap.newKeySet();
    private final Map<String, Function<Member, String>> orphanAnnouncements = new ConcurrentHashMap<>();
    // Bounded by the members this server had: one entry per member that left while Redis was away.
    private final Queue<PendingLeave> pendingLeaves = new ConcurrentLinkedQueue<>();
    // Bounded by the connections this server had: one entry per place given back while Redis was away.
    private final Queue<PendingGiveBack> pendingGiveBacks = new ConcurrentLinkedQueue<>();


    private volatile Link link;
    private volatile String identity;
    private volatile boolean wasAlive;
    private volatile boolean closed;
    private volatile boolean reportedDown;

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
        this.identity = newIdentity(options.node());
        // Made on a thread of the engine's own, down to the first use of each of the client library's
        // classes: their initialisation sets Netty's thread-locals, which on the deploying thread (the
        // container's) would outlive the application and keep its class loader.
        Client made = EngineThreads.callOnNewThread("socketworks-redis-start-" + options.node(), () -> client(uri));
        this.resources = made.resources();
        this.client = made.client();
        this.codec = made.codec();
        this.where = made.where();
        // Publications are handled off Lettuce's event loop (filling a gap is a blocking call), each
        // topic in order on its turn of a pool sized to the cores, so a topic waiting for Redis holds up
        // no other. Bounded: when delivery falls that far behind, a publication is dropped here and
        // read back from the stream when the next one shows the gap.
        this.delivery = new SerialQueues("socketworks-redis-delivery-" + options.node(),
                Math.max(2, Runtime.getRuntime().availableProcessors()), DISPATCH_QUEUE);
        this.keeper = Executors.newSingleThreadScheduledExecutor(EngineThreads.named("socketworks-redis-keeper-" + options.node()));
        // Calls from other threads (the container's) are made here and waited for there. Bounded: a
        // call Redis cannot take fails at once rather than queue.
        ThreadPoolExecutor callerPool = new ThreadPoolExecutor(CALLERS, CALLERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CALLS_WAITING), EngineThreads.named("socketworks-redis-call-" + options.node()));
        callerPool.allowCoreThreadTimeOut(true);
        this.callers = callerPool;
        // One thread issues the calls nobody waits for, in the order they were made (totals' additions).
        ThreadPoolExecutor issuerThread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CALLS_WAITING), EngineThreads.named("socketworks-redis-issue-" + options.node()));
        issuerThread.allowCoreThreadTimeOut(true);
        this.issuer = issuerThread;
        ThreadPoolExecutor sendingThreads = new ThreadPoolExecutor(SENDERS, SENDERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CALLS_WAITING), EngineThreads.named("socketworks-redis-send-" + options.node()));
        sendingThreads.allowCoreThreadTimeOut(true);
        this.sending = sendingThreads;
        keeper.execute(this::connect);
    }

    private record Client(ClientResources resources, AbstractRedisClient client, RedisCodec<String, byte[]> codec, String where) {
    }

    private Client client(String uri) {
        List<RedisURI> seeds = seeds(uri);
        seeds.forEach(seed -> seed.setTimeout(options.timeout()));
        String at = seeds.stream().map(seed -> seed.getHost() + ":" + seed.getPort()).collect(java.util.stream.Collectors.joining(","));
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        // Reconnects soon after Redis is back (Lettuce's default backs off up to 30 s).
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        if (uri.startsWith(CLUSTER_SCHEME)) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            // Node connections open lazily, on a slot's first command: rejecting while "disconnected"
            // would refuse that command. Queued instead (bounded), each still fails after the timeout.
            cluster.setOptions(common(ClusterClientOptions.builder(), ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
            return new Client(resources, cluster, codec, at);
        }
        RedisClient single = RedisClient.create(resources, seeds.get(0));
        // While the link is down a command fails at once: a client must not wait on it, and
        // nothing may pile up in memory to be sent later.
        single.setOptions(common(ClientOptions.builder(), ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        return new Client(resources, single, codec, at);
    }

    /** {@code redis-cluster://[user:password@]host:port[,host:port...]}: the seed nodes of a Redis Cluster. */
    public static final String CLUSTER_SCHEME = "redis-cluster://";

    private static List<RedisURI> seeds(String uri) {
        if (!uri.startsWith(CLUSTER_SCHEME)) {
            return List.of(RedisURI.create(uri));
        }
        String rest = uri.substring(CLUSTER_SCHEME.length());
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
        List<RedisURI> seeds = new ArrayList<>();
        for (String hostPort : rest.substring(at + 1).split(",")) {
            seeds.add(RedisURI.create("redis://" + userInfo + hostPort.strip()));
        }
        return seeds;
    }

    /** What both kinds of client share: reconnect, a bounded queue of commands, the timeout for everything. */
    private <B extends ClientOptions.Builder> B common(B builder, ClientOptions.DisconnectedBehavior whileDisconnected) {
        builder.autoReconnect(true)
                .disconnectedBehavior(whileDisconnected)
                .requestQueueSize(10_000)
                .socketOptions(SocketOptions.builder().connectTimeout(options.timeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(options.timeout()));
        return builder;
    }


    private static String newIdentity(String node) {
        return node + "#" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** The name, and this server's current life in Redis: what its presence entries are owned by. */
    @Override
    public String node() {
        return identity;
    }

    /** Whether its mark in Redis is there: renewed three times within {@code deadAfter} while it lives, removed when it closes. */
    @Override
    public boolean isAlive(String node) {
        return node.equals(identity) || call(redis -> redis.exists(nodesKey("alive:" + node))) > 0;
    }

    @Override
    public boolean isThisServer(String node) {
        return node.startsWith(options.node() + "#");
    }

    @Override
    public boolean available() {
        Link l = link;
        return l != null && l.isOpen();
    }

    /** Waits until the first connection is made; whether it was, within {@code timeout}. */
    public boolean awaitAvailable(Duration timeout) throws InterruptedException {
        return firstConnection.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && available();
    }

    /** Publications this server could not dispatch in time (then read back from the stream, if retained). */
    public long droppedPublications() {
        return delivery.dropped();
    }

    private void connect() {
        if (closed) {
            return;
        }
        StatefulConnection<String, byte[]> connection = null;
        try {
            RedisClusterCommands<String, byte[]> commands;
            RedisClusterAsyncCommands<String, byte[]> async;
            StatefulRedisPubSubConnection<String, byte[]> pubsub;
            if (client instanceof RedisClusterClient cluster) {
                StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(codec);
                connection = c;
                commands = c.sync();
                async = c.async();
                pubsub = cluster.connectPubSub(codec); // classic pub/sub: every node forwards every PUBLISH
            } else {
                RedisClient single = (RedisClient) client;
                StatefulRedisConnection<String, byte[]> c = single.connect(codec);
                connection = c;
                commands = c.sync();
                async = c.async();
                pubsub = single.connectPubSub(codec);
            }
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, byte[] message) {
                    Followed f = followed.get(channel);
                    if (f != null) {
                        f.queue.execute(() -> dispatch(f, message));
                    }
                }

                @Override
                public void subscribed(String channel, long count) {
                    // A channel confirmed before: Lettuce resubscribed on a new connection, so read what
                    // was missed meanwhile. Not on the first confirmation: publications made since are
                    // on their way, and a counter caught up to its latest value would skip them.
                    Followed f = followed.get(channel);
                    if (!confirmedChannels.add(channel) && f != null) {
                        f.queue.execute(() -> catchUp(f, 1));
                    }
                }
            });
            link = new Link(connection, commands, async, pubsub);
            LOG.info(() -> "Connected to Redis at " + where + " as " + identity);
            heartbeat(); // alive for the others before this server is available: what it does next names it
            firstConnection.countDown();
            long deadAfter = options.deadAfter().toMillis();
            keeper.scheduleWithFixedDelay(this::heartbeat, deadAfter / 3, deadAfter / 3, TimeUnit.MILLISECONDS);
            keeper.scheduleWithFixedDelay(this::removeDeadServersMembers, deadAfter / 5, deadAfter / 5, TimeUnit.MILLISECONDS);
            long renew = Math.max(1_000, options.idleExpiry().toMillis() / 4);
            keeper.scheduleWithFixedDelay(this::renewFollowedTopics, renew, renew, TimeUnit.MILLISECONDS);
        } catch (RuntimeException | LinkageError e) {
            if (connection != null) {
                connection.closeAsync();
            }
            if (!(e instanceof RedisException)) {
                LOG.log(Level.WARNING, "Connecting to Redis failed", e);
            }
            if (!reportedDown) {
                reportedDown = true;
                LOG.warning(() -> "Cannot reach Redis at " + where + " (" + e.getMessage()
                        + "); not ready; retrying every " + RETRY_CONNECT.toSeconds() + " s");
            }
            if (!closed) {
                keeper.schedule(this::connect, RETRY_CONNECT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private RedisClusterCommands<String, byte[]> redis() {
        Link l = link;
        if (l == null) {
            throw new EngineUnavailableException("Redis at " + where + " is not connected yet", null);
        }
        return l.commands();
    }

    private static EngineUnavailableException unavailable(RedisException e) {
        if (e instanceof RedisCommandExecutionException) {
            // Redis answered with an error (out of memory, a read-only replica): log what it said.
            LOG.log(Level.WARNING, "Redis refused a command: " + e.getMessage());
        }
        return new EngineUnavailableException("Redis unavailable: " + e.getMessage(), e);
    }

    private <T> T run(Script script, ScriptOutputType type, String[] keys, byte[]... args) {
        return onEngineThread(() -> runHere(script, type, keys, args));
    }

    /**
     * Runs {@code work} on one of the engine's threads and waits for it: the caller's thread (a
     * container's) never touches the client library. On an engine thread it runs at once.
     */
    private <T> T onEngineThread(java.util.function.Supplier<T> work) {
        if (EngineThreads.isCurrent()) {
            return work.get();
        }
        java.util.concurrent.Future<T> answer;
        try {
            answer = callers.submit(work::get);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new EngineUnavailableException("too many calls waiting for Redis at " + where, null);
        }
        try {
            // Each call is bounded by the timeout already; this margin covers the wait for a caller thread.
            return answer.get(2 * options.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new EngineUnavailableException("Redis call failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new EngineUnavailableException("Redis at " + where + " did not answer in time", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new EngineUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    private <T> T runHere(Script script, ScriptOutputType type, String[] keys, byte[]... args) {
        RedisClusterCommands<String, byte[]> redis = redis();
        try {
            try {
                return redis.evalsha(script.sha(), type, keys, args);
            } catch (RedisNoScriptException e) {
                return redis.eval(script.source(), type, keys, args);
            }
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("WRONGKIND ")) {
                // A caller's mistake, not an outage: as in memory, a topic is a log or a counter.
                throw new IllegalStateException(e.getMessage().substring("WRONGKIND ".length()), e);
            }
            throw unavailable(e);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /**
     * A script whose answer nobody waits for on this thread: the future completes on Lettuce's event
     * loop (so what follows it must only enqueue or start more such calls), with the same error
     * mapping as {@link #run}. Calls made on one connection run in the order they were made, but for
     * those in flight when Redis forgets its scripts (a restart, SCRIPT FLUSH): each is sent again as
     * EVAL when its NOSCRIPT comes back, so a later call may run before it. An addition is still
     * counted once and exactly; only its place among those few may change.
     */
    private <T> CompletableFuture<T> runAsync(Script script, ScriptOutputType type, String[] keys, byte[][] args) {
        Link l = link;
        if (l == null) {
            return CompletableFuture.failedFuture(new EngineUnavailableException("Redis at " + where + " is not connected yet", null));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!EngineThreads.isCurrent()) {
            try {
                issuer.execute(() -> issue(l, result, script, type, keys, args));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                result.completeExceptionally(new EngineUnavailableException("too many calls waiting for Redis at " + where, null));
            }
            return result;
        }
        issue(l, result, script, type, keys, args);
        return result;
    }

    private <T> void issue(Link l, CompletableFuture<T> result, Script script, ScriptOutputType type, String[] keys, byte[][] args) {
        try {
            l.async().<T>evalsha(script.sha(), type, keys, args).whenComplete((reply, failure) -> {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                if (cause instanceof RedisNoScriptException) {
                    l.async().<T>eval(script.source(), type, keys, args).whenComplete((again, failedAgain) -> complete(result, again, failedAgain));
                } else {
                    complete(result, reply, cause);
                }
            });
        } catch (RedisException e) {
            result.completeExceptionally(unavailable(e));
        }
    }

    private static <T> void complete(CompletableFuture<T> result, T reply, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        if (cause == null) {
            result.complete(reply);
        } else if (cause instanceof RedisException e) {
            result.completeExceptionally(unavailable(e));
        } else {
            result.completeExceptionally(cause);
        }
    }

    /** As {@link #runAsync}, for what nobody needs the answer of but {@code then}; a failure is corrected by the next call. */
    private <T> void runLater(Script script, ScriptOutputType type, String[] keys, byte[][] args, java.util.function.Consumer<T> then) {
        this.<T>runAsync(script, type, keys, args).whenComplete((reply, failure) -> {
            if (failure == null) {
                then.accept(reply);
            } else {
                LOG.fine(() -> "A background call to Redis failed: " + failure);
            }
        });
    }

    /** Any other command, with the same error mapping. */
    private <T> T call(Function<RedisClusterCommands<String, byte[]>, T> command) {
        return onEngineThread(() -> {
            RedisClusterCommands<String, byte[]> redis = redis();
            try {
                return command.apply(redis);
            } catch (RedisException e) {
                throw unavailable(e);
            }
        });
    }

    private String key(String topic, String part) {
        return options.prefix() + "{" + topic + "}:" + part;
    }

    private String channel(String topic) {
        return options.prefix() + "{" + topic + "}";
    }

    /** Server bookkeeping shares one hash tag: its scripts touch several of these keys. */
    private String nodesKey(String part) {
        return options.prefix() + "{nodes}:" + part;
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
        return publish(topic, TEXT, utf8(text), 2L * text.length() + 64, retention);
    }

    @Override
    public long publish(String topic, ByteBuffer data, Retention retention) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return publish(topic, BINARY, bytes, bytes.length + 64L, retention);
    }

    /** Pipelined on the connection to Redis, in the order made; the history account follows as after any publication. */
    @Override
    public CompletableFuture<Long> publishLater(String topic, String text, Retention retention) {
        return this.<List<Object>>runAsync(PUBLISH, ScriptOutputType.MULTI, new String[]{key(topic, "meta"), key(topic, "log")},
                epochArgs(false, new byte[]{TEXT}, utf8(text), utf8(retention.maxMessages()), utf8(retention.maxBytes()),
                        utf8(2L * text.length() + 64), utf8(channel(topic)))).thenApply(reply -> {
                            if (retention.maxMessages() > 0) {
                                accountHistory(topic, number(reply.get(1)));
                            }
                            return number(reply.get(0));
                        });
    }

    private long publish(String topic, byte kind, byte[] payload, long cost, Retention retention) {
        List<Object> reply = run(PUBLISH, ScriptOutputType.MULTI, new String[]{key(topic, "meta"), key(topic, "log")},
                epochArgs(false, new byte[]{kind}, payload, utf8(retention.maxMessages()), utf8(retention.maxBytes()),
                        utf8(cost), utf8(channel(topic))));
        if (retention.maxMessages() > 0) {
            accountHistory(topic, number(reply.get(1)));
        }
        return number(reply.get(0));
    }

    private String[] historyAccountKeys() {
        String tag = options.prefix() + "{history}:";
        return new String[]{tag + "bytes", tag + "used", tag + "total"};
    }

    /**
     * Tells the engine-wide account what the topic's history holds now, and drops the history of the
     * topics it names until every topic's together fits {@code historyBytes}: the counterpart of the
     * in-memory budget. After the publication, not in its script: the account lives in one slot and a
     * topic in its own. Off the publisher's thread: it waits for none of this.
     */
    private void accountHistory(String topic, long bytes) {
        runLater(ACCOUNT_HISTORY, ScriptOutputType.MULTI, historyAccountKeys(),
                new byte[][]{utf8(topic), utf8(bytes), utf8(clock.millis()), utf8(options.historyBytes()), utf8(options.idleExpiry().toMillis())},
                (List<Object> victims) -> {
                    for (Object victim : victims) {
                        String other = text(victim);
                        runLater(DROP_HISTORY, ScriptOutputType.INTEGER, new String[]{key(other, "meta"), key(other, "log")}, new byte[0][],
                                (Long freed) -> runLater(ACCOUNT_HISTORY, ScriptOutputType.MULTI, historyAccountKeys(),
                                        new byte[][]{utf8(other), utf8(0), utf8(clock.millis()), utf8(options.historyBytes()),
                                                utf8(options.idleExpiry().toMillis())}, (List<Object> more) -> { }));
                    }
                });
    }

    @Override
    public History history(String topic, long afterOffset, int limit) {
        String start = afterOffset < 1 ? "-" : "(" + afterOffset + "-0";
        List<Object> reply = run(HISTORY, ScriptOutputType.MULTI, new String[]{key(topic, "meta"), key(topic, "log")},
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
        return kind == BINARY
                ? new Message(topic, epoch, offset, null, ByteBuffer.wrap(payload))
                : new Message(topic, epoch, offset, new String(payload, StandardCharsets.UTF_8), null);
    }

    @Override
    public CounterChange add(String topic, long delta) {
        return counted(run(ADD, ScriptOutputType.MULTI, new String[]{key(topic, "meta")}, epochArgs(true, utf8(delta), utf8(channel(topic)))));
    }

    /** Pipelined: additions made one after another on this server run in that order, none waiting for the one before. */
    @Override
    public CompletableFuture<CounterChange> addLater(String topic, long delta) {
        return this.<List<Object>>runAsync(ADD, ScriptOutputType.MULTI, new String[]{key(topic, "meta")},
                epochArgs(true, utf8(delta), utf8(channel(topic)))).thenApply(RedisHub::counted);
    }

    private static CounterChange counted(List<Object> reply) {
        if (number(reply.get(0)) == 0) {
            return new CounterChange.Overflow();
        }
        return new CounterChange.Counted(number(reply.get(1)), number(reply.get(2)));
    }

    private String[] presenceKeys(String topic) {
        return new String[]{key(topic, "meta"), key(topic, "members"), key(topic, "order"), key(topic, "holds"), key(topic, "users")};
    }

    @Override
    public Optional<Entered> enter(String topic, Member member, String announcement, int listMax) {
        // Lets another server find this one's members if it dies (a different hash slot: a call of its own).
        String holder = identity;
        call(redis -> redis.sadd(nodesKey("topics:" + holder), utf8(topic)));
        List<Object> reply = run(ENTER, ScriptOutputType.MULTI, presenceKeys(topic),
                epochArgs(false, utf8(member.key()), utf8(JSON.toJson(member)), utf8(announcement), utf8(channel(topic)),
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
        String holder = identity;
        try {
            return leave(topic, key, announcement, holder, false);
        } catch (EngineUnavailableException e) {
            pendingLeaves.add(new PendingLeave(topic, key, announcement, holder));
            return OptionalLong.empty();
        }
    }

    /** Gives up one of {@code holder}'s holds on the entry, or all of them ({@code every}: the holder died). */
    private OptionalLong leave(String topic, String key, String announcement, String holder, boolean every) {
        Long offset = run(LEAVE, ScriptOutputType.INTEGER, presenceKeys(topic),
                epochArgs(false, utf8(key), utf8(announcement), utf8(channel(topic)), utf8(holder), utf8(every ? "1" : "0")));
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
            String holder = identity;
            call(redis -> redis.sadd(nodesKey("places:" + holder), utf8(group)));
            Long taken = run(TAKE_PLACE, ScriptOutputType.INTEGER, new String[]{placesKey(group)},
                    utf8(holder), utf8(max), utf8(options.idleExpiry().toMillis()));
            return taken == 1;
        }

        @Override
        public long held(String group) {
            long held = 0;
            for (byte[] count : call(redis -> redis.hvals(placesKey(group)))) {
                held += Long.parseLong(text(count));
            }
            return held;
        }

        @Override
        public void giveBack(String group) {
            String holder = identity;
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

    private String placesKey(String group) {
        return options.prefix() + "{places:" + group + "}";
    }

    private void giveBackPlace(String group, String holder) {
        Long left = run(GIVE_BACK_PLACE, ScriptOutputType.INTEGER, new String[]{placesKey(group)}, utf8(holder));
        if (left <= 0) {
            call(redis -> redis.srem(nodesKey("places:" + holder), utf8(group)));
        }
    }

    @Override
    public List<Member> members(String topic) {
        byte[] json = run(LIST_MEMBERS, ScriptOutputType.VALUE, new String[]{key(topic, "members"), key(topic, "order")});
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
        Long held = run(LEASE, ScriptOutputType.INTEGER, new String[]{options.prefix() + "{lease:" + name + "}"},
                utf8(options.node()), utf8(ttl.toMillis()));
        return held == 1;
    }

    @Override
    public void releaseLease(String name) {
        run(RELEASE_LEASE, ScriptOutputType.INTEGER, new String[]{options.prefix() + "{lease:" + name + "}"}, utf8(options.node()));
    }

    @Override
    public void onOrphans(String topicPrefix, Function<Member, String> announcement) {
        orphanAnnouncements.put(topicPrefix, announcement);
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber) {
        return follow(topic, false, subscriber, () -> {
            History now = history(topic, Long.MAX_VALUE, 0);
            return new Start(now.epoch(), now.lastOffset(), List.of());
        });
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber, long afterOffset, int limit) {
        return follow(topic, false, subscriber, () -> {
            History past = history(topic, afterOffset, limit);
            // Served through the topic's offset: anything later than the replay comes live.
            return new Start(past.epoch(), past.lastOffset(), past.messages());
        });
    }

    @Override
    public Subscription watch(String topic, Subscriber subscriber) {
        return follow(topic, true, subscriber, () -> {
            Message now = counterNow(topic);
            return new Start(now.epoch(), now.offset(), List.of(now));
        });
    }

    private Message counterNow(String topic) {
        List<Object> reply = run(WATCH, ScriptOutputType.MULTI, new String[]{key(topic, "meta")}, epochArgs(true));
        String epoch = text(reply.get(0));
        return new Message(topic, epoch, number(reply.get(2)), text(reply.get(1)), null);
    }

    private record Start(String epoch, long servedThrough, List<Message> first) {
    }

    private Subscription follow(String topic, boolean counter, Subscriber subscriber, java.util.function.Supplier<Start> start) {
        String channel = channel(topic);
        Followed f = followed.computeIfAbsent(channel, c -> {
            Link l = link;
            if (l == null) {
                throw new EngineUnavailableException("Redis at " + where + " is not connected yet", null);
            }
            onEngineThread(() -> {
                try {
                    l.pubsub().sync().subscribe(c); // confirmed before any history is read
                } catch (RedisException e) {
                    throw unavailable(e);
                }
                return null;
            });
            return new Followed(topic, counter, delivery.queue());
        });
        // The history is read outside the topic's lock: a crowd joining must not hold up the delivery
        // of the topic's publications, one round trip each (it did: 10,000 joiners starved it). Live
        // publications meanwhile wait in the new subscriber's own list and are merged by offset.
        LocalFanout.Local local;
        f.lock.lock();
        try {
            local = f.subscribers.add(subscriber, Long.MAX_VALUE, true);
        } finally {
            f.lock.unlock();
        }
        Start s;
        try {
            s = start.get();
        } catch (RuntimeException e) {
            remove(f, subscriber);
            throw e;
        }
        LocalFanout.Recipients recipients = new LocalFanout.Recipients();
        boolean delivered;
        f.lock.lock();
        try {
            if (local.starting == null || local.starting.size() > MAX_STARTING) {
                s = start.get(); // too much came meanwhile, or the epoch changed: read again, holding the lock
                local.starting = new ArrayList<>();
            }
            if (f.epoch != null && !s.epoch().equals(f.epoch)) {
                advance(f, null, recipients); // the topic's past was lost before this server noticed
                local.starting = new ArrayList<>();
            }
            List<Message> first = firstDeliveries(s, local.starting, counter);
            first.forEach(subscriber::deliver);
            delivered = !first.isEmpty();
            long served = s.servedThrough();
            for (Message m : first) {
                served = Math.max(served, m.offset());
            }
            local.servedThrough = served;
            local.starting = null;
            if (f.epoch == null) {
                f.epoch = s.epoch();
                f.lastOffset = s.servedThrough();
            }
        } catch (RuntimeException e) {
            local.starting = null;
            f.subscribers.remove(subscriber);
            throw e;
        } finally {
            f.lock.unlock();
        }
        recipients.flush();
        if (delivered) {
            subscriber.flush();
        }
        return () -> remove(f, subscriber);
    }

    private static void remove(Followed f, Subscriber subscriber) {
        f.lock.lock();
        try {
            f.subscribers.remove(subscriber);
        } finally {
            f.lock.unlock();
        }
    }

    /**
     * What a new subscriber gets first: the start's history, with the live publications that came
     * while it was read, in offset order, each once. A counter's start is its value: only later
     * changes follow it.
     */
    private static List<Message> firstDeliveries(Start s, List<Message> cameMeanwhile, boolean counter) {
        java.util.TreeMap<Long, Message> byOffset = new java.util.TreeMap<>();
        s.first().forEach(m -> byOffset.put(m.offset(), m));
        long floor = counter && !s.first().isEmpty() ? s.first().get(0).offset() : Long.MIN_VALUE;
        for (Message m : cameMeanwhile) {
            if (m.offset() > floor && m.epoch().equals(s.epoch())) {
                byOffset.putIfAbsent(m.offset(), m);
            }
        }
        return List.copyOf(byOffset.values());
    }

    /** On the topic's turn: one publication from the channel, decoded once for the server, in the order Redis published them. */
    private void dispatch(Followed f, byte[] raw) {
        Message message;
        try {
            message = decode(f.topic, raw);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unreadable publication on " + f.topic, e);
            return;
        }
        deliverUpToDate(f, message);
    }

    /**
     * On the topic's turn, after (re)subscribing: delivers what was published while the link was
     * down. If Redis cannot be read yet (the subscription came back before the command link), it tries
     * again every {@link #CATCH_UP_RETRY}: a counter nobody changes would otherwise never learn that
     * Redis lost it (ClusterIT waited 20 s for the reset total once).
     */
    private void catchUp(Followed f, int attempt) {
        if (!deliverUpToDate(f, null) && attempt < CATCH_UP_ATTEMPTS) {
            try {
                keeper.schedule(() -> f.queue.execute(() -> catchUp(f, attempt + 1)),
                        CATCH_UP_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the hub is closing
            }
        }
    }

    /**
     * Starts the sends, not on the topic's turn: a send that blocks in the container (a full socket, a
     * close under way) holds up that one thread, while the topic's next publications are delivered and
     * their own flushes reach everyone else (a blocked outbox's next flush returns at once). If every
     * sending thread is taken, the turn flushes itself.
     */
    private void flushOffTurn(LocalFanout.Recipients recipients) {
        try {
            sending.execute(recipients::flush);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            recipients.flush();
        }
    }

    /** False when Redis could not be read (the link dropped again). */
    private boolean deliverUpToDate(Followed f, Message live) {
        LocalFanout.Recipients recipients = new LocalFanout.Recipients();
        boolean read = true;
        f.lock.lock();
        try {
            if (f.epoch != null) {
                advance(f, live, recipients);
            }
        } catch (EngineUnavailableException e) {
            read = false; // a live message: the next one or the next (re)subscription catches up from here
        } finally {
            f.lock.unlock();
        }
        flushOffTurn(recipients);
        return read;
    }

    /**
     * Under the topic's lock: brings its subscribers up to {@code live} (or, when null, to the
     * topic's state in Redis), reading from the stream what the channel did not bring, announcing a
     * new epoch as a reset.
     */
    private void advance(Followed f, Message live, LocalFanout.Recipients recipients) {
        if (f.counter) {
            Message latest = live != null ? live : counterNow(f.topic);
            boolean newEpoch = !latest.epoch().equals(f.epoch);
            if (newEpoch) {
                newEpoch(f, latest.epoch(), true, recipients); // a counter's value is its whole state
            }
            if (newEpoch || latest.offset() > f.lastOffset) {
                f.subscribers.deliver(latest, recipients);
                f.lastOffset = latest.offset();
            }
            return;
        }
        List<Message> missed;
        if (live != null && live.epoch().equals(f.epoch)) {
            if (live.offset() <= f.lastOffset) {
                return; // already delivered (or served from history to everyone following)
            }
            long gap = live.offset() - f.lastOffset - 1; // overflows after a new epoch's Long.MIN_VALUE
            missed = gap != 0 ? history(f.topic, f.lastOffset, gap < 0 || gap > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) gap).messages()
                    : List.of();
        } else {
            History h = history(f.topic, f.lastOffset, Integer.MAX_VALUE);
            if (!h.epoch().equals(f.epoch)) {
                h = history(f.topic, Long.MIN_VALUE, Integer.MAX_VALUE);
                newEpoch(f, h.epoch(), true, recipients);
            }
            missed = h.messages();
            if (live == null) {
                // lastOffset stays at the last one delivered: a publication that is still on its way
                // here must not count as seen; an unretained one that never comes is a gap the next
                // live publication skips, finding nothing in the stream for it.
                for (Message m : missed) {
                    deliverOnce(f, m, recipients);
                }
                return;
            }
        }
        for (Message m : missed) {
            if (m.offset() < live.offset()) {
                deliverOnce(f, m, recipients);
            }
        }
        if (live.epoch().equals(f.epoch)) {
            deliverOnce(f, live, recipients);
        }
    }

    private void newEpoch(Followed f, String epoch, boolean historyLost, LocalFanout.Recipients recipients) {
        LOG.warning(() -> "Topic " + f.topic + " lost its past in Redis (epoch " + f.epoch + " -> " + epoch + ")");
        f.epoch = epoch;
        f.lastOffset = Long.MIN_VALUE;
        f.subscribers.newEpoch(historyLost, recipients);
    }

    private static void deliverOnce(Followed f, Message message, LocalFanout.Recipients recipients) {
        if (message.offset() > f.lastOffset) {
            f.subscribers.deliver(message, recipients);
            f.lastOffset = message.offset();
        }
    }

    /**
     * "epoch\noffset\nkind\npayload", the payload binary-safe; a presence change (kind 'p') has the
     * number of members after it before its payload: "epoch\noffset\np\ncount\npayload".
     */
    private static Message decode(String topic, byte[] raw) {
        int[] at = new int[4];
        int found = 0;
        for (int i = 0; i < raw.length && found < 3; i++) {
            if (raw[i] == '\n') {
                at[found++] = i;
            }
        }
        if (found < 3) {
            throw new IllegalArgumentException("not a publication");
        }
        String epoch = new String(raw, 0, at[0], StandardCharsets.UTF_8);
        long offset = Long.parseLong(new String(raw, at[0] + 1, at[1] - at[0] - 1, StandardCharsets.US_ASCII));
        byte kind = raw[at[1] + 1];
        int payloadStart = at[2] + 1;
        int present = -1;
        if (kind == PRESENCE) {
            int end = payloadStart;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            present = Integer.parseInt(new String(raw, payloadStart, end - payloadStart, StandardCharsets.US_ASCII));
            payloadStart = end + 1;
        }
        byte[] payload = Arrays.copyOfRange(raw, payloadStart, raw.length);
        return kind == BINARY
                ? new Message(topic, epoch, offset, null, ByteBuffer.wrap(payload))
                : new Message(topic, epoch, offset, new String(payload, StandardCharsets.UTF_8), null, present);
    }

    /**
     * On the keeper thread: renews this server's liveness key. Finding it expired means other
     * servers may be removing this one's members: a new identity, and every subscriber claims its
     * presence again. Leaves that could not be made are made now.
     */
    private void heartbeat() {
        try {
            String was = aliveAs(identity);
            if (was == null && wasAlive) {
                String old = identity;
                identity = newIdentity(options.node());
                aliveAs(identity);
                LOG.warning(() -> "This server's presence in Redis expired (link down longer than "
                        + options.deadAfter().toMillis() + " ms?): " + old + " is now " + identity);
                followed.values().forEach(f -> f.queue.execute(() -> presenceLost(f)));
            }
            wasAlive = true;
            if (reportedDown) {
                reportedDown = false;
                LOG.info(() -> "Redis at " + where + " is reachable again");
            }
            for (PendingLeave leave; (leave = pendingLeaves.peek()) != null; pendingLeaves.remove()) {
                leave(leave.topic(), leave.key(), leave.announcement(), leave.holder(), false);
            }
            for (PendingGiveBack place; (place = pendingGiveBacks.peek()) != null; pendingGiveBacks.remove()) {
                giveBackPlace(place.group(), place.holder());
            }
        } catch (EngineUnavailableException e) {
            if (!reportedDown) {
                reportedDown = true;
                LOG.warning(() -> "Lost Redis at " + where + ": " + e.getMessage() + "; reconnecting");
            }
        }
    }

    private String aliveAs(String id) {
        byte[] was = run(ALIVE, ScriptOutputType.VALUE, new String[]{nodesKey("alive:" + id), nodesKey("all")},
                utf8(id), utf8(options.deadAfter().toMillis()));
        return was == null ? null : text(was);
    }

    private void presenceLost(Followed f) {
        LocalFanout.Recipients recipients = new LocalFanout.Recipients();
        f.lock.lock();
        try {
            f.subscribers.presenceLost(recipients);
        } finally {
            f.lock.unlock();
        }
        flushOffTurn(recipients);
    }

    /**
     * On the keeper thread: for every server whose liveness key expired, the first live server to
     * claim it removes that server's members, announcing each leave once. The claim expires, so a
     * server that dies mid-way leaves the rest to the next.
     */
    private void removeDeadServersMembers() {
        try {
            for (byte[] entry : call(redis -> redis.smembers(nodesKey("all")))) {
                String other = text(entry);
                if (isAlive(other)) {
                    continue;
                }
                String claimed = call(redis -> redis.set(nodesKey("cleaning:" + other), utf8(identity),
                        SetArgs.Builder.nx().px(options.deadAfter().toMillis())));
                if (claimed == null) {
                    continue; // another server is on it
                }
                int removed = 0;
                for (byte[] topicBytes : call(redis -> redis.smembers(nodesKey("topics:" + other)))) {
                    removed += removeOrphans(text(topicBytes), other);
                }
                call(redis -> redis.del(nodesKey("topics:" + other)));
                for (byte[] group : call(redis -> redis.smembers(nodesKey("places:" + other)))) {
                    call(redis -> redis.hdel(placesKey(text(group)), other));
                }
                call(redis -> redis.del(nodesKey("places:" + other)));
                call(redis -> redis.srem(nodesKey("all"), entry));
                int count = removed;
                LOG.info(() -> "Server " + other + " stopped renewing its presence: removed its " + count + " member(s)");
            }
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
        Map<String, Member> present = new java.util.HashMap<>();
        members(topic).forEach(m -> present.put(m.key(), m));
        List<Object> held = run(HELD_BY, ScriptOutputType.MULTI, new String[]{key(topic, "order"), key(topic, "holds")}, utf8(deadIdentity));
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
            for (Followed f : followed.values()) {
                run(TOUCH, ScriptOutputType.INTEGER,
                        new String[]{key(f.topic, "meta"), key(f.topic, "log"), key(f.topic, "members"), key(f.topic, "order"), key(f.topic, "holds"), key(f.topic, "users")},
                        utf8(options.idleExpiry().toMillis()));
            }
            call(redis -> redis.pexpire(nodesKey("topics:" + identity), options.idleExpiry().toMillis()));
            call(redis -> redis.pexpire(nodesKey("places:" + identity), options.idleExpiry().toMillis()));
        } catch (EngineUnavailableException e) {
            // Next round.
        }
    }

    @Override
    public int subscribers(String topic) {
        Followed f = followed.get(channel(topic));
        return f == null ? 0 : f.subscribers.size();
    }

    /**
     * Stops following a topic nobody here subscribes to; its data stays in Redis for the other
     * servers. This server's list of topics to clean up after it (were it to die) forgets the topic
     * unless it still holds members there: the list stays as small as what the server uses.
     */
    @Override
    public void release(String topic) {
        String channel = channel(topic);
        Followed f = followed.get(channel);
        if (subscribers(topic) != 0) {
            return;
        }
        Link l = link;
        if (f != null && followed.remove(channel, f) && l != null) {
            confirmedChannels.remove(channel);
            try {
                onEngineThread(() -> {
                    l.pubsub().sync().unsubscribe(channel);
                    return null;
                });
            } catch (RedisException | EngineUnavailableException e) {
                // Gone with the connection anyway.
            }
        }
        forgetHeldTopic(topic);
    }

    /**
     * Removed first, then checked: an entry made meanwhile is seen here (and the topic added back), or
     * its connection, which subscribes before it enters, is.
     */
    private void forgetHeldTopic(String topic) {
        String holder = identity;
        try {
            call(redis -> redis.srem(nodesKey("topics:" + holder), utf8(topic)));
            List<Object> held = run(HELD_BY, ScriptOutputType.MULTI, new String[]{key(topic, "order"), key(topic, "holds")}, utf8(holder));
            if (!held.isEmpty() || subscribers(topic) != 0) {
                call(redis -> redis.sadd(nodesKey("topics:" + holder), utf8(topic)));
            }
        } catch (EngineUnavailableException e) {
            // Left listed: its clean-up, if this server dies, then finds nothing to remove there.
        }
    }

    /**
     * A goodbye: this server's liveness key is removed, so the others remove any member it still
     * holds at their next check rather than after {@code deadAfter}.
     */
    @Override
    public void close() {
        closed = true;
        keeper.shutdownNow();
        delivery.shutdown();
        // On a thread of the engine's own, like every call: the undeploying thread is the container's.
        Thread goodbye = EngineThreads.named("socketworks-redis-close-" + options.node()).newThread(this::sayGoodbye);
        goodbye.start();
        try {
            goodbye.join(4 * options.timeout().toMillis() + 4_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        callers.shutdownNow();
        issuer.shutdownNow();
        sending.shutdownNow();
        // Ended before the undeploy returns: a thread outliving it would keep the application's class loader.
        for (java.util.concurrent.ExecutorService pool : List.of(keeper, callers, issuer, sending)) {
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        delivery.awaitTermination(Duration.ofSeconds(2));
    }

    private void sayGoodbye() {
        Link l = link;
        if (l != null) {
            try {
                for (PendingLeave leave; (leave = pendingLeaves.poll()) != null; ) {
                    leave(leave.topic(), leave.key(), leave.announcement(), leave.holder(), false);
                }
                for (PendingGiveBack place; (place = pendingGiveBacks.poll()) != null; ) {
                    giveBackPlace(place.group(), place.holder());
                }
                l.commands().del(nodesKey("alive:" + identity));
            } catch (RuntimeException e) {
                LOG.fine(() -> "Goodbye to Redis not said: " + e.getMessage());
            }
            l.pubsub().close();
            l.connection().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
