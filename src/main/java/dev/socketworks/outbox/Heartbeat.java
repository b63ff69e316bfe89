package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps one session honest: a ping every interval (through its outbox), and a close with 1008 when
 * the client has answered nothing, neither pong nor message, for two intervals; with an idle timeout
 * set, also when it has sent no message for that long. Browsers answer pings by themselves, so only
 * dead connections and clients that ignore the protocol are cut.
 */
public final class Heartbeat {

    static final CloseReason NO_REPLY = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "no reply to ping");
    static final CloseReason IDLE = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "idle timeout");

    private final Outbox outbox;
    private final long intervalNanos;
    private final long idleNanos;
    private final LongSupplier clock;
    private volatile long lastHeard;
    private volatile long lastMessage;
    private volatile ScheduledFuture<?> timer;

    Heartbeat(Outbox outbox, Duration interval, Duration idleTimeout, LongSupplier clock) {
        this.outbox = outbox;
        this.intervalNanos = interval.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.clock = clock;
        this.lastHeard = clock.getAsLong();
        this.lastMessage = lastHeard;
    }

    /** Starts pinging the outbox's session; replies are heard through the outbox's pongs ({@link Outbox#attach}). */
    public static Heartbeat start(Outbox outbox, ScheduledExecutorService scheduler, Duration interval,
                                  Duration idleTimeout) {
        Heartbeat heartbeat = new Heartbeat(outbox, interval, idleTimeout, System::nanoTime);
        outbox.onPong(heartbeat::heardPong);
        heartbeat.timer = scheduler.scheduleAtFixedRate(heartbeat::tick, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return heartbeat;
    }

    /** Call for every message the client sends. */
    public void heardMessage() {
        long now = clock.getAsLong();
        lastHeard = now;
        lastMessage = now;
    }

    void heardPong() {
        lastHeard = clock.getAsLong();
    }

    /** Cancels the timer; call when the session closes. */
    public void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    void tick() {
        long now = clock.getAsLong();
        if (outbox.isClosed()) {
            stop();
        } else if (now - lastHeard >= 2 * intervalNanos) {
            // At once: a silent peer's connection may be dead, and a write to it may never complete.
            outbox.closeNow(NO_REPLY);
            stop();
        } else if (idleNanos > 0 && now - lastMessage >= idleNanos) {
            outbox.close(IDLE);
            stop();
        } else {
            outbox.ping(ByteBuffer.wrap(Long.toString(now).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
    }
}
