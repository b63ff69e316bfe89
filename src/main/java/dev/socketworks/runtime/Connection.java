package dev.socketworks.runtime;

import dev.socketworks.auth.Authenticator;
import dev.socketworks.auth.Identity;
import dev.socketworks.auth.Rights;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.HandshakeContext;
import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;
import dev.socketworks.inbound.BinaryAssembler;
import dev.socketworks.inbound.MessageTooLargeException;
import dev.socketworks.inbound.RateLimit;
import dev.socketworks.inbound.TextAssembler;
import dev.socketworks.json.Unicode;
import dev.socketworks.logging.LogLimiter;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.Heartbeat;
import dev.socketworks.outbox.Outbox;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's server-side state shared by every endpoint: its outbox (the only way to send), its
 * place among the open sessions (closed with 1001 at undeploy) and its heartbeat.
 */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final AppContext app;
    private final Outbox outbox;
    private final Heartbeat heartbeat;
    private final TextAssembler text;
    private final BinaryAssembler binary;
    private final List<Hub.Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final RateLimit rate;
    private final AddressBudgets.Membership addressBudget;
    private Runnable whenRateLimited;
    private long rateLimitedToldAt = System.nanoTime() - TELL_RATE_LIMITED_EVERY_NANOS; // one message thread at a time
    private final String address;
    private volatile Identity identity; // replaced by an in-band refresh
    private volatile Runnable tellExpiring;
    // Guarded by this: the close at exp + grace, and the notice before it.
    private java.util.concurrent.ScheduledFuture<?> expiry;
    private java.util.concurrent.ScheduledFuture<?> expiring;
    private final AtomicBoolean counted = new AtomicBoolean(true); // released once, whatever calls closed()
    private final Runnable userPlace; // gives back the user's place (maxConnectionsPerUser); nothing for a guest

    static final CloseReason RATE_LIMIT = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "rate limit");
    /** A refused client is told at most this often: each answer costs the server a send, and a flood must not buy one per message. */
    static final long TELL_RATE_LIMITED_EVERY_NANOS = 1_000_000_000L;

    private static final Runnable NOTHING_TO_GIVE_BACK = () -> { };
    private final Metrics.EndpointMeters meters;
    private final String id = newId();
    private final String endpoint;
    private final java.time.Instant openedAt = java.time.Instant.now();

    private Connection(AppContext app, Outbox outbox, Heartbeat heartbeat, String address, Identity identity, Runnable userPlace,
                       Metrics.EndpointMeters meters, String endpoint) {
        this.meters = meters;
        this.endpoint = endpoint;
        this.userPlace = userPlace;
        this.app = app;
        this.address = address;
        this.identity = identity;
        this.outbox = outbox;
        this.heartbeat = heartbeat;
        Settings settings = app.settings();
        this.text = new TextAssembler(settings.maxMessageBytes());
        this.binary = new BinaryAssembler(settings.maxMessageBytes());
        // Continues from what the address's last connection left: reconnecting must not refresh the burst.
        this.rate = app.floods().budgetFor(address, System.nanoTime(), () -> new RateLimit(
                settings.rateMessagesPerSecond(), settings.rateBurst(), settings.rateBytesPerSecond(),
                settings.maxMessageBytes(), System::nanoTime));
        this.addressBudget = app.addressBudgets().join(address);
    }

    /**
     * Call first in {@code @OnOpen}. Returns null when the handshake policy refused the session (it
     * is being closed); the endpoint should then ignore it.
     */
    public static Connection open(Session session) {
        String refused = HandshakePolicy.refusal(session);
        AppContext app = AppContext.current();
        if (refused != null) {
            app.metrics().refused(Metrics.Refusal.SUBPROTOCOL);
            closeQuietly(session, CloseReasons.of(CloseReason.CloseCodes.PROTOCOL_ERROR, refused));
            return null;
        }
        Settings settings = app.settings();
        HandshakeContext handshake = HandshakeContext.of(session);
        String address = handshake == null || handshake.clientAddress() == null
                ? "unknown" : handshake.clientAddress();
        Identity identity = handshake == null ? null : handshake.identity();
        if (identity == null) {
            if (app.authenticator().authenticates()) {
                // A container that upgraded before the admission filter could ask (Jetty told to ignore
                // WEB-INF/jetty-ee10-web.xml): nobody checked who this is.
                app.metrics().refused(Metrics.Refusal.TOKEN);
                closeQuietly(session, CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "unauthenticated"));
                return null;
            }
            identity = Identity.guest(Rights.all());
        }
        ConnectionLimits.Verdict admitted = app.limits().tryAdmit(address);
        Runnable userPlace = admitted != ConnectionLimits.Verdict.ADMITTED || identity.isGuest()
                ? NOTHING_TO_GIVE_BACK : app.userConnections().open(identity.subject());
        if (userPlace == null) {
            app.limits().release(address); // the user's count is full: the exact check, as for addresses
            app.metrics().refused(Metrics.Refusal.USER_CAP);
            closeQuietly(session, CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER,
                    "too many connections for this user (maxConnectionsPerUser)"));
            return null;
        }
        if (admitted != ConnectionLimits.Verdict.ADMITTED) {
            // Handshakes that raced past AdmissionFilter together: the count here is the exact one.
            app.metrics().refused(Metrics.Refusal.CAPS);
            closeQuietly(session, CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER,
                    admitted == ConnectionLimits.Verdict.SERVER_FULL
                            ? "too many connections (maxConnections)" : "too many connections from your address"));
            return null;
        }
        Outbox outbox = Outbox.attach(session, settings.outboxMaxMessages(), settings.outboxMaxBytes(),
                app.scheduling().executor(), app.outboxBudget());
        app.sessions().add(outbox);
        String endpoint = handshake == null || handshake.endpoint() == null ? "unknown" : handshake.endpoint();
        Metrics.EndpointMeters meters = app.metrics().endpoint(endpoint);
        outbox.meter(meters);
        meters.opened.increment();
        meters.open.incrementAndGet();
        Heartbeat heartbeat = Heartbeat.start(outbox, app.scheduling().executor(), settings.heartbeatInterval(),
                settings.idleTimeout());
        Connection connection = new Connection(app, outbox, heartbeat, address, identity, userPlace, meters, endpoint);
        String description = "connection " + connection.id + " (" + endpoint + " from " + address
                + (identity.isGuest() ? "" : ", user " + Unicode.quotable(identity.subject(), 64)) + ")";
        outbox.describeAs(description);
        session.getUserProperties().put(DESCRIPTION, description);
        app.connections().add(connection);
        connection.scheduleExpiry();
        return connection;
    }

    /**
     * An id for the API and the logs, the same on every server sharing the engine (a container's
     * session ids are small counters that repeat across servers): 60 random bits, in base 32.
     */
    private static String newId() {
        long bits = java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 4;
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++, bits >>>= 5) {
            id.append(ID_DIGITS.charAt((int) (bits & 31)));
        }
        return id.toString();
    }

    private static final String ID_DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford's: no i, l, o, u

    /** This connection's id ({@link #newId}). */
    public String id() {
        return id;
    }

    /** The endpoint's path ({@code /chat/{room}}, not the room). */
    public String endpoint() {
        return endpoint;
    }

    public java.time.Instant openedAt() {
        return openedAt;
    }

    /** A JSON service tells its client this long before its token expires ({@code token-expiring}). */
    public static final java.time.Duration EXPIRING_NOTICE = java.time.Duration.ofSeconds(30);

    /**
     * A token's connection ends with it, at exp plus the grace a client has to refresh or reconnect
     * with a new one; a service that can say so is told {@link #EXPIRING_NOTICE} before exp.
     */
    private synchronized void scheduleExpiry() {
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (expiring != null) {
            expiring.cancel(false);
        }
        java.time.Instant expiresAt = identity.expiresAt();
        if (expiresAt == null) {
            return;
        }
        long untilExpiry = java.time.Duration.between(java.time.Instant.now(), expiresAt).toMillis();
        var timer = app.scheduling().executor();
        expiry = timer.schedule(() -> outbox.close(TOKEN_EXPIRED), Math.max(0, untilExpiry + app.settings().tokenGrace().toMillis()),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        Runnable tell = tellExpiring;
        if (tell != null) {
            expiring = timer.schedule(tell, Math.max(0, untilExpiry - EXPIRING_NOTICE.toMillis()),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** For JSON services: {@code tell} runs {@link #EXPIRING_NOTICE} before the token expires (at once if sooner). */
    public void whenTokenExpiring(Runnable tell) {
        tellExpiring = tell;
        scheduleExpiry();
    }

    /**
     * An in-band refresh: a new token for the same user, whose exp and rights apply at once. Returns
     * null, or why it is refused (the connection and its old token stay as they were).
     */
    public String refresh(String token) {
        if (identity.isGuest()) {
            return "this connection was opened without a token";
        }
        Authenticator.Outcome outcome = app.authenticator().verify(token);
        if (outcome instanceof Authenticator.Unauthenticated refused) {
            return refused.reason();
        }
        Identity fresh = ((Authenticator.Admitted) outcome).identity();
        if (!fresh.subject().equals(identity.subject())) {
            return "the token is for another user";
        }
        if (app.revocations().refuses(fresh)) {
            return "token revoked";
        }
        identity = fresh;
        scheduleExpiry();
        return null;
    }

    static final CloseReason TOKEN_EXPIRED = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "token expired");

    /** Who the client is (a guest without credentials), as checked before the upgrade. */
    public Identity identity() {
        return identity;
    }

    /** Whether this client has {@code right} (such as {@code chat:lobby}): actions inside a connection ask. */
    public boolean may(String right) {
        return identity.rights().allows(right);
    }

    private static void closeQuietly(Session session, CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException e) {
            LOG.log(Level.FINE, "client left before it was refused", e);
        }
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The client address it is counted under (an IPv6 client's network). */
    public String address() {
        return address;
    }

    public AppContext app() {
        return app;
    }

    public Settings settings() {
        return app.settings();
    }

    /**
     * For services that answer in JSON: a message over the rate limit is dropped and
     * {@code tellClient} runs (it sends the service's {@code rate-limited} error); the connection is
     * closed with 1008 only when the client stays over the limit. Without it, as for the text
     * services, whose protocols have no error message, the first message past the burst closes.
     */
    public void replyWhenRateLimited(Runnable tellClient) {
        this.whenRateLimited = tellClient;
    }

    /** Call for every message received that does not go through {@link #text} or {@link #binary}. */
    public void heard() {
        heartbeat.heardMessage();
    }

    /**
     * Joins one part of an incoming text message (endpoints take partial messages so the size limit
     * is exact and the same on every container). Returns the whole message once its last part is
     * in, else null; a message over {@code maxMessageBytes} closes the session with 1009 instead.
     */
    public String text(String part, boolean last) {
        heartbeat.heardMessage();
        try {
            String message = text.append(part, last);
            return message != null && withinRate(text.lastMessageBytes()) ? message : null;
        } catch (MessageTooLargeException e) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
            return null;
        }
    }

    /** The UTF-8 size of the message {@link #text} returned last: for a caller that sends it on ({@link Outbox#sendText(String, long)}). */
    public long lastTextBytes() {
        return text.lastMessageBytes();
    }

    /** As {@link #text}, for binary messages; the result is the caller's own copy. */
    public ByteBuffer binary(ByteBuffer part, boolean last) {
        heartbeat.heardMessage();
        try {
            ByteBuffer message = binary.append(part, last);
            return message != null && withinRate(message.remaining()) ? message : null;
        } catch (MessageTooLargeException e) {
            outbox.close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
            return null;
        }
    }

    /** Checked once per whole message, before any service sees it: a flood costs only the flooder. */
    private boolean withinRate(long bytes) {
        meters.received.increment();
        meters.receivedBytes.increment(bytes);
        RateLimit.Verdict verdict = rate.take(bytes);
        if (verdict == RateLimit.Verdict.ALLOWED) {
            boolean taken = addressBudget.take(bytes);
            if (addressBudget.flooded()) {
                // Not a burst but a flood, maybe of connections each under its own limits and each new one with
                // a fresh share (a connection per room): while it lasts the address may open no new connection.
                app.floods().penalize(address, System.nanoTime());
            }
            if (taken) {
                return true;
            }
            verdict = rate.refusedElsewhere(bytes); // over its share of what its address may send
        }
        meters.rateLimited.increment();
        refused(verdict);
        return false;
    }

    /**
     * A service refused a message this connection's limits let through, because the client is over its
     * share of something shared (a chat room's budget): it counts against the client like a message over
     * its own rate, so a client that keeps at it is closed with 1008 and its address may reconnect only
     * slowly, instead of costing the server a parse and a refusal per message forever. The service has
     * told the client.
     */
    public void refusedByService(long bytes) {
        RateLimit.Verdict verdict = rate.refusedElsewhere(bytes);
        if (verdict == RateLimit.Verdict.EXCEEDED) {
            refused(verdict);
        }
    }

    private void refused(RateLimit.Verdict verdict) {
        if (verdict == RateLimit.Verdict.REFUSED && whenRateLimited != null) {
            long now = System.nanoTime();
            if (now - rateLimitedToldAt >= TELL_RATE_LIMITED_EVERY_NANOS) {
                rateLimitedToldAt = now;
                whenRateLimited.run();
            }
        } else if (!outbox.isClosed()) {
            LogLimiter.log(LOG, Level.INFO, "rate limit", () -> "Closing " + outbox.describe()
                    + ": over the rate limit (" + app.settings().rateMessagesPerSecond() + " messages/s, burst "
                    + app.settings().rateBurst() + ", " + app.settings().rateBytesPerSecond() + " bytes/s)");
            app.floods().penalize(address, System.nanoTime());
            if (whenRateLimited != null) {
                outbox.closeAfterQueued(RATE_LIMIT); // it was told: the error must not be dropped with the queue
            } else {
                outbox.close(RATE_LIMIT);
            }
        }
    }

    /** Keeps a hub subscription for this client; it ends when the client leaves ({@link #closed()}). */
    public void keep(Hub.Subscription subscription) {
        subscriptions.add(subscription);
    }

    static final CloseReason UNAVAILABLE = CloseReasons.of(CloseReason.CloseCodes.TRY_AGAIN_LATER, "service unavailable");

    /**
     * Subscribes this client, or, when the shared engine cannot be reached, closes it with 1013
     * "service unavailable" (a client that reconnects later gets the service back) and returns false.
     */
    public boolean keep(Supplier<Hub.Subscription> subscribe) {
        try {
            keep(subscribe.get());
            return true;
        } catch (EngineUnavailableException e) {
            closeUnavailable();
            return false;
        }
    }

    /** For a protocol with no error message (broadcast): 1013, as for {@link #keep(Supplier)}; nothing was published. */
    public void closeUnavailable() {
        LogLimiter.log(LOG, Level.INFO, "engine unavailable", () -> "Closing " + outbox.describe()
                + " with 1013: the shared engine is unreachable");
        outbox.close(UNAVAILABLE);
    }

    /** Call from {@code @OnClose}: ends subscriptions, heartbeat and the place among open sessions. */
    public void closed() {
        closed(null);
    }

    /** For {@code @OnClose}, with what the container reports: the close is counted under its code. */
    public void closed(CloseReason reason) {
        synchronized (this) {
            if (expiry != null) {
                expiry.cancel(false);
            }
            if (expiring != null) {
                expiring.cancel(false);
            }
        }
        outbox.sessionEnded();
        subscriptions.forEach(Hub.Subscription::close);
        heartbeat.stop();
        app.sessions().remove(outbox);
        app.connections().remove(this);
        if (counted.getAndSet(false)) {
            meters.open.decrementAndGet();
            meters.closed(reason == null ? -1 : reason.getCloseCode().getCode(),
                    reason == null || reason.getReasonPhrase() == null ? "" : Unicode.quotable(reason.getReasonPhrase(), 64));
            app.limits().release(address);
            userPlace.run();
            app.addressBudgets().leave(address, addressBudget);
            app.floods().closed(address, rate, System.nanoTime());
        }
    }

    /**
     * For {@code @OnError}. A client going away, or breaking the protocol in a way the container
     * reports (bad UTF-8, a frame it cannot decode), is the client's doing: one line without a stack
     * trace, at FINE or rate limited. Anything else is a fault of ours, logged with its stack trace,
     * rate limited too, since a client that found it could trigger it in a loop.
     */
    public static void logError(Logger log, Session session, Throwable error) {
        String who = describe(session);
        if (error instanceof IOException || error.getCause() instanceof IOException) {
            log.log(Level.FINE, who + ": client went away", error);
        } else if (error instanceof DecodeException) {
            LogLimiter.log(log, Level.INFO, "client protocol error",
                    () -> who + ": client sent what cannot be decoded: " + error.getMessage());
        } else {
            LogLimiter.log(log, Level.WARNING, "unexpected endpoint error", () -> who + ": " + error, error);
        }
    }

    /** Where a session's connection leaves its description, for log lines that have only the session. */
    static final String DESCRIPTION = "socketworks.connection";

    /** What log lines call the client of {@code session}: its connection, or its session id before it had one. */
    public static String describe(Session session) {
        try {
            return session.getUserProperties().get(DESCRIPTION) instanceof String described ? described : "session " + session.getId();
        } catch (RuntimeException closedAlready) {
            return "a closed session";
        }
    }

    /**
     * What log lines call this client: its id, endpoint, address and user (no token, no message). The
     * id is the one the API lists and closes by.
     */
    public String describe() {
        return outbox.describe();
    }
}
