package dev.socketworks.runtime;

import dev.socketworks.auth.Authenticator;
import dev.socketworks.auth.PathRights;
import dev.socketworks.auth.Rights;
import dev.socketworks.auth.TokenVerifier;
import dev.socketworks.config.InvalidSettingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.socketworks.config.Settings;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.InMemoryHub;
import dev.socketworks.hub.RedisHub;
import dev.socketworks.inbound.RateLimit;
import dev.socketworks.outbox.OpenSessions;
import dev.socketworks.outbox.OutboxBudget;
import dev.socketworks.outbox.Scheduling;

import jakarta.websocket.CloseReason;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What the deployment shares: settings, the scheduler, the hub and the open sessions. Created when the
 * WAR starts ({@link Bootstrap}); {@link #stop()} at undeploy closes every session with 1001 and
 * stops what the application owns.
 */
public final class AppContext {

    private static volatile AppContext current;

    private final Settings settings;
    private final Scheduling scheduling;
    // The engine's periodic work (leases, arena saves, the shared ticker) waits on the engine: its own
    // threads, so a slow or stopped Redis delays only what needs it, never a countdown or an arena's tick.
    private final Scheduling engineWork = Scheduling.owned("socketworks-engine-");
    private final Hub hub;
    private final OpenSessions sessions = new OpenSessions();
    private final Connections connections = new Connections();
    private final ServerControl control;
    private final RevocationCheck revocations;
    private final Metrics metrics;
    private final ApiKeys apiKeys; // null: the HTTP API is off
    // One per key holder: bounded by the keys file.
    private final ConcurrentHashMap<String, dev.socketworks.inbound.RateLimit> apiRates = new ConcurrentHashMap<>();
    private final ConnectionLimits limits;
    private final FloodMemory floods;
    private final OutboxBudget outboxBudget;
    private final AddressBudgets addressBudgets;
    private final ConcurrentHashMap<Class<?>, Object> services = new ConcurrentHashMap<>();
    private final Authenticator authenticator;
    private final UserConnections userConnections;
    private volatile List<RootService> atRoot = List.of();

    AppContext(Settings settings, Scheduling scheduling, Hub hub) {
        this.settings = settings;
        this.apiKeys = apiKeys(settings);
        this.authenticator = authenticator(settings);
        this.scheduling = scheduling;
        this.hub = hub;
        this.metrics = new Metrics(settings.metrics());
        metrics.engine(hub.stats());
        this.control = new ServerControl(hub, engineWork.executor(), engineWork.executor(), settings.engineTimeout());
        this.revocations = new RevocationCheck(hub);
        ConnectionsApi.answerOn(this);
        UsersApi.answerOn(this);
        InfoApi.answerOn(this);
        this.userConnections = new UserConnections(hub.places(), (int) settings.maxConnectionsPerUser()); // at most 100,000
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerAddress());
        this.addressBudgets = new AddressBudgets(settings.addressMessagesPerSecond(), settings.addressBytesPerSecond());
        this.outboxBudget = new OutboxBudget(settings.outboxTotalBytes());
        metrics.gauge("socketworks.outbox.queued.bytes", "bytes queued in every outbox together (outboxTotalBytes bounds it)",
                outboxBudget, OutboxBudget::used);
        this.floods = new FloodMemory(
                RateLimit.forgivenessNanos(settings.rateMessagesPerSecond(), settings.rateBurst()),
                RateLimit.burstNanos(settings.rateMessagesPerSecond(), settings.rateBurst()));
    }

    /**
     * The deployment's authentication, from {@code auth} and its settings. A token mode without a key is a
     * deployment error, as is a key the verifier cannot read.
     */
    private static Authenticator authenticator(Settings settings) {
        boolean tokens = settings.auth().equals("token");
        Rights guests = Authenticator.guestRights(settings.guestRights(), !settings.auth().equals("none"));
        if (settings.auth().equals("container")) {
            return Authenticator.container(settings.containerRoles(), guests);
        }
        if (!tokens) {
            return Authenticator.none(guests);
        }
        if (settings.tokenSecret().isEmpty() && settings.tokenKeys().isEmpty()) {
            throw new InvalidSettingException("Invalid setting socketworks.auth: 'token' needs socketworks.tokenSecret or "
                    + "socketworks.tokenKeys. It exists because " + Settings.AUTH.why());
        }
        try {
            return Authenticator.tokens(new TokenVerifier(
                    settings.tokenSecret().isEmpty() ? null : settings.tokenSecret().getBytes(StandardCharsets.UTF_8),
                    settings.tokenKeys().isEmpty() ? null : TokenVerifier.keys(settings.tokenKeys()),
                    settings.tokenIssuer().isEmpty() ? null : settings.tokenIssuer(),
                    settings.tokenAudience().isEmpty() ? null : settings.tokenAudience(),
                    settings.tokenClockSkew()), guests);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidSettingException("Invalid setting socketworks.tokenKeys: " + e.getMessage()
                    + ". It exists because " + Settings.TOKEN_KEYS.why());
        }
    }

    /** The API's keys; any mistake in the file stops the deployment naming the key and the field. */
    private static ApiKeys apiKeys(Settings settings) {
        if (settings.apiKeys().isEmpty()) {
            return null;
        }
        try {
            return ApiKeys.read(java.nio.file.Path.of(settings.apiKeys()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("Invalid setting socketworks.apiKeys (" + settings.apiKeys() + "): " + e.getMessage()
                    + ". It exists because " + Settings.API_KEYS.why());
        }
    }

    /** The HTTP API's keys; null when it is off. */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    /** The rate of one key holder's calls ({@code apiRequestsPerSecond}, bursts of twice as many). */
    dev.socketworks.inbound.RateLimit apiRate(String holder) {
        return apiRates.computeIfAbsent(holder, h -> new dev.socketworks.inbound.RateLimit(settings.apiRequestsPerSecond(),
                2 * settings.apiRequestsPerSecond(), Long.MAX_VALUE / 4, 0, System::nanoTime));
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** Open connections per authenticated user (on every server sharing the engine), against {@code maxConnectionsPerUser}. */
    UserConnections userConnections() {
        return userConnections;
    }

    /** The services at {@code /}, once {@link Bootstrap} has registered them. */
    void serveAtRoot(List<RootService> services) {
        atRoot = List.copyOf(services);
    }

    /**
     * Any one of these rights opens {@code path}; none for a path no endpoint serves. At {@code /} they are
     * those of the service the offered subprotocols pick, as {@link RootEndpoint} picks it.
     */
    List<String> rightsToConnect(String path, List<String> offeredHeaders) {
        if (!path.equals("/")) {
            return PathRights.toConnect(path);
        }
        for (String header : offeredHeaders) {
            for (String entry : header.split(",")) {
                String offered = entry.strip();
                for (RootService service : atRoot) {
                    if (service.subprotocols().contains(offered)) {
                        return service.rightsToConnect();
                    }
                }
            }
        }
        return atRoot.stream().filter(RootService::byDefault).findFirst().map(RootService::rightsToConnect).orElse(List.of());
    }

    /** The deployment's context, as {@link Bootstrap} left it in the servlet context; null before or after. */
    static AppContext running(jakarta.servlet.ServletContext context) {
        return context.getAttribute(AppContext.class.getName()) instanceof AppContext app ? app : null;
    }

    static AppContext start(Settings settings) {
        AppContext context = new AppContext(settings, Scheduling.create(), hubFor(settings));
        Settings.install(settings);
        current = context;
        return context;
    }

    /**
     * In memory, chat history is what the hub retains: its total bound is {@code chatHistoryTotalBytes}.
     * On Redis the hub connects in the background: the deployment starts even when Redis is down.
     */
    private static Hub hubFor(Settings settings) {
        if (settings.engineUri().isEmpty()) {
            return new InMemoryHub(settings.nodeName(), settings.chatHistoryTotalBytes(), Clock.systemUTC());
        }
        RedisHub hub = new RedisHub(settings.engineUri(), new RedisHub.Options(settings.nodeName(), KEY_PREFIX,
                settings.engineTimeout(), settings.nodeDeadAfter(), settings.engineIdleExpiry(), settings.engineHistoryBytes(),
                settings.engineMaxTopics(), java.time.Duration.ofMinutes(1)));
        try {
            // A reachable Redis: ready as soon as deployed. An unreachable one costs the deployment this wait, once.
            hub.awaitAvailable(settings.engineTimeout().multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return hub;
    }

    /** Before every Redis key and channel of the deployment. */
    private static final String KEY_PREFIX = "socketworks:";

    /** 1012 when the services go on on other servers sharing the engine (clients reconnect at once), else 1001. */
    CloseReason closeReasonAtUndeploy() {
        return settings.engineUri().isEmpty() ? OpenSessions.SHUTTING_DOWN : OpenSessions.RESTARTING;
    }

    /**
     * The running deployment's context, built once by {@link Bootstrap} at start-up. Nothing builds one
     * on demand: a connection before start-up or after undeploy is a wiring fault, and says so.
     */
    public static AppContext current() {
        AppContext c = current;
        if (c == null) {
            throw new IllegalStateException("Socketworks is not running: its Bootstrap has not started it, or it was undeployed");
        }
        return c;
    }

    private volatile boolean stopping;
    private final java.time.Instant startedAt = java.time.Instant.now();

    /** When start-up built this context. */
    public java.time.Instant startedAt() {
        return startedAt;
    }

    /** Undeploy (or a drain) has begun: no new clients. */
    public boolean stopping() {
        return stopping;
    }

    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();

    /** Drained by an operator ({@code POST /api/drain}), as opposed to undeployed. */
    public boolean draining() {
        return draining.get();
    }

    /**
     * Stops taking clients at once (not ready; handshakes refused with 503) and, after
     * {@code drainGraceMs}, closes every session with 1012 so clients reconnect to another server.
     * False if it was draining already.
     */
    public boolean drain() {
        if (!draining.compareAndSet(false, true)) {
            return false;
        }
        stopping = true;
        scheduling.executor().schedule(() -> sessions.closeAll(OpenSessions.RESTARTING),
                settings.drainGrace().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
    }

    /** Undeploy has begun: not ready any more, so a load balancer sends the clients being closed elsewhere. */
    void markStopping() {
        stopping = true;
    }

    /** Serving every service: not stopping, and the engine reachable. */
    public boolean ready() {
        return !stopping && hub.available();
    }

    void stop() {
        stopping = true;
        sessions.closeAll(closeReasonAtUndeploy());
        control.close();
        scheduling.close();
        engineWork.close();
        hub.close();
        metrics.close();
        current = null;
    }

    public Settings settings() {
        return settings;
    }

    /** The deployment's metrics: {@code GET /metrics}. */
    public Metrics metrics() {
        return metrics;
    }

    public Scheduling scheduling() {
        return scheduling;
    }

    public Hub hub() {
        return hub;
    }

    /** Timers whose tasks call the engine and may wait on it; apart from {@link #scheduling()}'s. */
    public java.util.concurrent.ScheduledExecutorService engineWork() {
        return engineWork.executor();
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Rate budgets and flooding penalties that outlive a connection, per address. */
    public FloodMemory floods() {
        return floods;
    }

    public AddressBudgets addressBudgets() {
        return addressBudgets;
    }

    /** What every client's outbox together may hold queued. */
    public OutboxBudget outboxBudget() {
        return outboxBudget;
    }

    /** This server's open connections by id. */
    public Connections connections() {
        return connections;
    }

    /** Questions to every server sharing the hub (this one included). */
    public ServerControl control() {
        return control;
    }

    RevocationCheck revocations() {
        return revocations;
    }

    public OpenSessions sessions() {
        return sessions;
    }

    /** The deployment's one instance of a service object (a running total, the chat rooms). */
    public <T> T service(Class<T> type, Function<AppContext, T> create) {
        return type.cast(services.computeIfAbsent(type, t -> create.apply(this)));
    }
}
