package dev.socketworks.outbox;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one scheduler of the deployment (heartbeats, countdowns, deferred closes). Full Jakarta EE
 * containers provide a ManagedScheduledExecutorService, whose threads carry the application's context
 * and are managed by the server; it is used through the plain ScheduledExecutorService interface, so
 * no compile-time dependency is needed. Servlet containers (Tomcat, Jetty) have none: then the
 * application owns a small pool and shuts it down on undeploy.
 */
public final class Scheduling implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Scheduling.class.getName());
    static final String MANAGED_NAME = "java:comp/DefaultManagedScheduledExecutorService";

    private final ScheduledExecutorService executor;
    private final boolean owned;

    private Scheduling(ScheduledExecutorService executor, boolean owned) {
        this.executor = executor;
        this.owned = owned;
    }

    /** The container's managed scheduler when JNDI has one, else a pool owned by this application. */
    public static Scheduling create() {
        try {
            Object managed = new InitialContext().lookup(MANAGED_NAME);
            if (managed instanceof ScheduledExecutorService scheduler) {
                return new Scheduling(scheduler, false);
            }
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.FINE, "No managed scheduler (" + e + "); using an application-owned one");
        }
        return owned();
    }

    /** A pool owned by the caller; two threads are plenty, tasks only enqueue work on outboxes. */
    public static Scheduling owned() {
        return owned("socketworks-timer-");
    }

    /**
     * A pool of two threads owned by the caller, its threads named {@code name} and a number: for
     * the engine's periodic work (leases, saves, a shared timer), which may wait on a slow engine and
     * so must not share threads with the timers that need no engine (countdowns, arena ticks).
     */
    public static Scheduling owned(String name) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, daemonThreads(name));
        pool.setRemoveOnCancelPolicy(true); // cancelled per-session timers must not pile up
        return new Scheduling(pool, true);
    }

    public ScheduledExecutorService executor() {
        return executor;
    }

    public String describe() {
        return owned ? "application-owned scheduler" : "container's " + MANAGED_NAME;
    }

    /** Stops an owned pool; a managed one belongs to the container and must not be shut down. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("Scheduler threads still running 5 s after undeploy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
