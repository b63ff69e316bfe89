package dev.socketworks.ticker;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Retention;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The deployment's one timer behind {@code /ticker}: started with the first client, stopped with the
 * last (undeploy cancels it with the scheduler). Each tick publishes the message on the hub's
 * {@value #TOPIC} topic, which every client of every server follows. With a shared engine each server
 * with clients runs this timer, but only the holder of the lease publishes: one tick per interval
 * for everyone, whichever servers are up.
 */
public final class Ticker {

    static final String TOPIC = "ticker";
    private static final Logger LOG = Logger.getLogger(Ticker.class.getName());

    private final Hub hub;
    private final ScheduledExecutorService scheduler;
    private final String message;
    private final Duration interval;

    // Guarded by this.
    private int clients;
    private ScheduledFuture<?> timer;

    public Ticker(Hub hub, ScheduledExecutorService scheduler, String message, Duration interval) {
        this.hub = hub;
        this.scheduler = scheduler;
        this.message = message;
        this.interval = interval;
    }

    /** A client connected: the first starts the timer. */
    public synchronized void clientArrived() {
        if (clients++ == 0) {
            long millis = interval.toMillis();
            timer = scheduler.scheduleAtFixedRate(this::tick, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** A client left: the last stops the timer and gives the lease up, so another server takes over at once. */
    public void clientLeft() {
        synchronized (this) {
            if (clients == 0 || --clients > 0) {
                return;
            }
            timer.cancel(false);
            timer = null;
        }
        try {
            hub.releaseLease(TOPIC);
        } catch (EngineUnavailableException e) {
            // It expires by itself.
        }
    }

    synchronized boolean isRunning() {
        return timer != null;
    }

    /** On the scheduler: publish if this server drives the ticker (two intervals of lease, renewed each tick). */
    void tick() {
        try {
            if (hub.lease(TOPIC, interval.multipliedBy(2))) {
                hub.publish(TOPIC, message, Retention.NONE);
            }
        } catch (EngineUnavailableException e) {
            LOG.fine(() -> "Ticker skipped a tick: " + e.getMessage()); // the next tick tries again
        }
    }
}
