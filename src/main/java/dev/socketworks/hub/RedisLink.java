package dev.socketworks.hub;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * This server's link to Redis: the client, connecting and reconnecting, and every call, each made on
 * one of the engine's own threads ({@link EngineThreads}) and mapped to the hub's errors. An outage
 * is {@link EngineUnavailableException} within the timeout; nothing is queued for later.
 */
final class RedisLink {

    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());
    private static final Duration RETRY_CONNECT = Duration.ofSeconds(1);
    /** Calls to Redis in flight from other threads at once: each waits a round trip, all share one connection. */
    private static final int CALLERS = 16;
    /** Calls waiting for a caller thread (or for the issuer): past it a call fails as if Redis were away. */
    static final int CALLS_WAITING = 10_000;

    /** What the hub hears from the link, on Lettuce's threads or the keeper's: each must only hand work on. */
    interface Events {
        /** A publication on a channel this server subscribed to. */
        void message(String channel, byte[] raw);

        /** A channel confirmed again after a reconnect: what was published meanwhile is missing. */
        void resubscribed(String channel);

        /** Connected, before the hub counts as available: whatever must be in Redis first goes here. */
        void connected();
    }

    private record Link(StatefulConnection<String, byte[]> connection, RedisClusterCommands<String, byte[]> commands,
                        RedisClusterAsyncCommands<String, byte[]> async, StatefulRedisPubSubConnection<String, byte[]> pubsub) {
        boolean isOpen() {
            return connection.isOpen() && pubsub.isOpen();
        }
    }

    private record Client(ClientResources resources, AbstractRedisClient client, RedisCodec<String, byte[]> codec, String where) {
    }

    private final Duration timeout;
    private final Events events;
    private final String where;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final RedisCodec<String, byte[]> codec;
    private final ScheduledExecutorService keeper;
    private final ThreadPoolExecutor callers;
    private final ThreadPoolExecutor issuer;
    private final CountDownLatch firstConnection = new CountDownLatch(1);
    private final Set<String> confirmedChannels = ConcurrentHashMap.newKeySet();
    private volatile Link link;
    private volatile boolean closed;
    private volatile boolean reportedDown;

    /** Starts connecting in the background. */
    RedisLink(String uri, String node, Duration timeout, Events events) {
        this.timeout = timeout;
        this.events = events;
        // Made on a thread of the engine's own, down to the first use of each of the client library's
        // classes: their initialisation sets Netty's thread-locals, which on the deploying thread (the
        // container's) would outlive the application and keep its class loader.
        Client made = EngineThreads.callOnNewThread("socketworks-redis-start-" + node, () -> client(uri));
        this.resources = made.resources();
        this.client = made.client();
        this.codec = made.codec();
        this.where = made.where();
        this.keeper = Executors.newSingleThreadScheduledExecutor(EngineThreads.named("socketworks-redis-keeper-" + node));
        // Calls from other threads (the container's) are made here and waited for there. Bounded: a
        // call Redis cannot take fails at once rather than queue.
        this.callers = pool("socketworks-redis-call-" + node, CALLERS);
        // One thread issues the calls nobody waits for, in the order they were made (totals' additions).
        this.issuer = pool("socketworks-redis-issue-" + node, 1);
    }

    /** Threads that end when idle, with at most {@link #CALLS_WAITING} tasks waiting. */
    static ThreadPoolExecutor pool(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CALLS_WAITING), EngineThreads.named(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    void start() {
        keeper.execute(this::connect);
    }

    String where() {
        return where;
    }

    /** {@code redis-cluster://[user:password@]host:port[,host:port...]}: the seed nodes of a Redis Cluster. */
    static final String CLUSTER_SCHEME = "redis-cluster://";

    private Client client(String uri) {
        List<RedisURI> seeds = seeds(uri);
        seeds.forEach(seed -> seed.setTimeout(timeout));
        String at = seeds.stream().map(seed -> seed.getHost() + ":" + seed.getPort()).collect(Collectors.joining(","));
        RedisCodec<String, byte[]> stringKeys = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        // Reconnects soon after Redis is back (Lettuce's default backs off up to 30 s).
        ClientResources made = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        // Each try to get a lost connection back (commands and pub/sub each): an outage's length shows in how many.
        made.eventBus().get().subscribe(event -> {
            if (event instanceof io.lettuce.core.event.connection.ReconnectAttemptEvent) {
                stats.reconnects.increment();
            }
        });
        if (uri.startsWith(CLUSTER_SCHEME)) {
            RedisClusterClient cluster = RedisClusterClient.create(made, seeds);
            // Node connections open lazily, on a slot's first command: rejecting while "disconnected"
            // would refuse that command. Queued instead (bounded), each still fails after the timeout.
            cluster.setOptions(common(ClusterClientOptions.builder(), ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
            return new Client(made, cluster, stringKeys, at);
        }
        RedisClient single = RedisClient.create(made, seeds.get(0));
        // While the link is down a command fails at once: a client must not wait on it, and
        // nothing may pile up in memory to be sent later.
        single.setOptions(common(ClientOptions.builder(), ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        return new Client(made, single, stringKeys, at);
    }

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
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout));
        return builder;
    }

    boolean available() {
        Link l = link;
        return l != null && l.isOpen();
    }

    /** Waits until the first connection is made; whether it was, within {@code wait}. */
    boolean awaitAvailable(Duration wait) throws InterruptedException {
        return firstConnection.await(wait.toMillis(), TimeUnit.MILLISECONDS) && available();
    }

    /** Runs {@code task} on the keeper thread every {@code periodMillis}, the first time after one period. */
    void every(long periodMillis, Runnable task) {
        keeper.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the keeper thread once, after {@code delay}; not at all once closing. */
    void later(Duration delay, Runnable task) {
        try {
            keeper.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the hub is closing
        }
    }

    /** Logged once per outage, however many calls fail in it. */
    void reportDown(String why) {
        if (!reportedDown) {
            reportedDown = true;
            LOG.warning(() -> why);
        }
    }

    void reportUp() {
        if (reportedDown) {
            reportedDown = false;
            LOG.info(() -> "Redis at " + where + " is reachable again");
        }
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
                    events.message(channel, message);
                }

                @Override
                public void subscribed(String channel, long count) {
                    // Not on the first confirmation: publications made since are on their way, and a
                    // counter caught up to its latest value would skip them.
                    if (!confirmedChannels.add(channel)) {
                        events.resubscribed(channel);
                    }
                }
            });
            link = new Link(connection, commands, async, pubsub);
            LOG.info(() -> "Connected to Redis at " + where);
            events.connected();
            firstConnection.countDown();
        } catch (RuntimeException | LinkageError e) {
            if (connection != null) {
                connection.closeAsync();
            }
            if (!(e instanceof RedisException)) {
                LOG.log(Level.WARNING, "Connecting to Redis failed", e);
            }
            reportDown("Cannot reach Redis at " + where + " (" + e.getMessage() + "); not ready; retrying every "
                    + RETRY_CONNECT.toSeconds() + " s");
            if (!closed) {
                keeper.schedule(this::connect, RETRY_CONNECT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private Link connected() {
        Link l = link;
        if (l == null) {
            throw new EngineUnavailableException("Redis at " + where + " is not connected yet", null);
        }
        return l;
    }

    private static EngineUnavailableException unavailable(RedisException e) {
        if (e instanceof RedisCommandExecutionException) {
            // Redis answered with an error (out of memory, a read-only replica): log what it said.
            LOG.log(Level.WARNING, "Redis refused a command: " + e.getMessage());
        }
        return new EngineUnavailableException("Redis unavailable: " + e.getMessage(), e);
    }

    /** Runs a script and waits for its answer. */
    <T> T run(LuaScript script, ScriptOutputType type, String[] keys, byte[]... args) {
        return onEngineThread(() -> runHere(script, type, keys, args));
    }

    /** Any other command, with the same error mapping. */
    <T> T call(Function<RedisClusterCommands<String, byte[]>, T> command) {
        return onEngineThread(() -> {
            RedisClusterCommands<String, byte[]> redis = connected().commands();
            try {
                return command.apply(redis);
            } catch (RedisException e) {
                throw unavailable(e);
            }
        });
    }

    /** Subscribes to a channel and waits for Redis to confirm it. */
    void subscribe(String channel) {
        Link l = connected();
        onEngineThread(() -> {
            try {
                l.pubsub().sync().subscribe(channel);
            } catch (RedisException e) {
                throw unavailable(e);
            }
            return null;
        });
    }

    void unsubscribe(String channel) {
        confirmedChannels.remove(channel);
        Link l = link;
        if (l == null) {
            return;
        }
        try {
            onEngineThread(() -> {
                l.pubsub().sync().unsubscribe(channel);
                return null;
            });
        } catch (RedisException | EngineUnavailableException e) {
            // Gone with the connection anyway.
        }
    }

    /**
     * Runs {@code work} on one of the engine's threads and waits for it: the caller's thread (a
     * container's) never touches the client library. On an engine thread it runs at once.
     */
    final EngineStats stats = new EngineStats();

    private <T> T onEngineThread(Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return onEngineThreadUntimed(work);
        } finally {
            stats.roundTrip(System.nanoTime() - started); // failures too: a stalled Redis shows as slow round trips
        }
    }

    private <T> T onEngineThreadUntimed(Supplier<T> work) {
        if (EngineThreads.isCurrent()) {
            return work.get();
        }
        Future<T> answer;
        try {
            answer = callers.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new EngineUnavailableException("too many calls waiting for Redis at " + where, null);
        }
        try {
            // Each call is bounded by the timeout already; this margin covers the wait for a caller thread.
            return answer.get(2 * timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new EngineUnavailableException("Redis call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new EngineUnavailableException("Redis at " + where + " did not answer in time", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            throw new EngineUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    private <T> T runHere(LuaScript script, ScriptOutputType type, String[] keys, byte[]... args) {
        RedisClusterCommands<String, byte[]> redis = connected().commands();
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
    <T> CompletableFuture<T> runAsync(LuaScript script, ScriptOutputType type, String[] keys, byte[][] args) {
        Link l = link;
        if (l == null) {
            return CompletableFuture.failedFuture(new EngineUnavailableException("Redis at " + where + " is not connected yet", null));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!EngineThreads.isCurrent()) {
            try {
                issuer.execute(() -> issue(l, result, script, type, keys, args));
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new EngineUnavailableException("too many calls waiting for Redis at " + where, null));
            }
            return result;
        }
        issue(l, result, script, type, keys, args);
        return result;
    }

    /** As {@link #runAsync}, for what nobody needs the answer of but {@code then}; a failure is corrected by the next call. */
    <T> void runLater(LuaScript script, ScriptOutputType type, String[] keys, byte[][] args, Consumer<T> then) {
        this.<T>runAsync(script, type, keys, args).whenComplete((reply, failure) -> {
            if (failure == null) {
                then.accept(reply);
            } else {
                LOG.fine(() -> "A background call to Redis failed: " + failure);
            }
        });
    }

    private <T> void issue(Link l, CompletableFuture<T> result, LuaScript script, ScriptOutputType type, String[] keys, byte[][] args) {
        try {
            l.async().<T>evalsha(script.sha(), type, keys, args).whenComplete((reply, failure) -> {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
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
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause == null) {
            result.complete(reply);
        } else if (cause instanceof RedisException e) {
            result.completeExceptionally(unavailable(e));
        } else {
            result.completeExceptionally(cause);
        }
    }

    /** No more connecting, renewing or retrying: the first step of closing. */
    void stopKeeping() {
        closed = true;
        keeper.shutdownNow();
    }

    /**
     * Says {@code lastWords} (if connected) and closes the client, on a thread of the engine's own
     * like every call: the undeploying thread is the container's. Every thread of the link has ended
     * when it returns: one outliving the undeploy would keep the application's class loader.
     */
    void close(Runnable lastWords) {
        stopKeeping();
        Thread goodbye = EngineThreads.named("socketworks-redis-close").newThread(() -> {
            Link l = link;
            if (l != null) {
                try {
                    lastWords.run();
                } catch (RuntimeException e) {
                    LOG.fine(() -> "Goodbye to Redis not said: " + e.getMessage());
                }
                l.pubsub().close();
                l.connection().close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        });
        goodbye.start();
        try {
            goodbye.join(4 * timeout.toMillis() + 4_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        callers.shutdownNow();
        issuer.shutdownNow();
        awaitEnd(keeper, callers, issuer);
    }

    static void awaitEnd(ExecutorService... pools) {
        for (ExecutorService pool : pools) {
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
