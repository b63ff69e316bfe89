package dev.socketworks.hub;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One topic's subscribers on this server and the delivery to them: the local fan-out both engines
 * share. In memory it runs on the publisher's thread under the topic's lock (the publisher pays for
 * its own publication); with Redis, on the topic's turn of the engine's delivery pool
 * ({@link SerialQueues}), after the publication was decoded once for the whole server.
 *
 * <p>Not thread-safe: the owner calls every method but {@link #size} under the topic's lock, which
 * fixes the one order every subscriber sees. Deliveries only enqueue; each subscriber given
 * something is in {@link Recipients}, flushed once after the lock is let go. A presence change
 * goes only to subscribers that {@link Subscriber#receivesPresence receive presence}: a room's one
 * relay, not each member, so a join costs this server O(1).
 */
final class LocalFanout {

    /**
     * A subscriber, and the offset up to which it was served when it subscribed (its history, or
     * nothing). While its history is read outside the lock, live publications wait in
     * {@code starting}, to be merged by offset.
     */
    static final class Local {
        final Subscriber subscriber;
        final boolean receivesPresence;
        long servedThrough;
        List<Message> starting;

        private Local(Subscriber subscriber, long servedThrough) {
            this.subscriber = subscriber;
            this.receivesPresence = subscriber.receivesPresence();
            this.servedThrough = servedThrough;
        }
    }

    /** The subscribers given something: each flushed once, found in constant time (a server may hold thousands). */
    static final class Recipients {
        private final Set<Subscriber> subscribers = Collections.newSetFromMap(new IdentityHashMap<>());

        void add(Subscriber subscriber) {
            subscribers.add(subscriber);
        }

        /** With no lock held: each starts sending what was enqueued for it. */
        void flush() {
            subscribers.forEach(Subscriber::flush);
        }
    }

    private static final Local[] NONE = new Local[0];

    // Copied on change: a delivery walks an array, and a crowd joining costs O(n) per join, as its list does.
    private volatile Local[] all = NONE;
    private volatile Local[] presence = NONE;

    /** Adds a subscriber served through {@code servedThrough}; with {@code starting}, it collects what comes until its start ends. */
    Local add(Subscriber subscriber, long servedThrough, boolean starting) {
        Local local = new Local(subscriber, servedThrough);
        if (starting) {
            local.starting = new java.util.ArrayList<>();
        }
        all = append(all, local);
        if (local.receivesPresence) {
            presence = append(presence, local);
        }
        return local;
    }

    private static Local[] append(Local[] locals, Local local) {
        Local[] grown = Arrays.copyOf(locals, locals.length + 1);
        grown[locals.length] = local;
        return grown;
    }

    void remove(Subscriber subscriber) {
        all = without(all, subscriber);
        presence = without(presence, subscriber);
    }

    private static Local[] without(Local[] locals, Subscriber subscriber) {
        for (int i = 0; i < locals.length; i++) {
            if (locals[i].subscriber == subscriber) {
                Local[] shrunk = new Local[locals.length - 1];
                System.arraycopy(locals, 0, shrunk, 0, i);
                System.arraycopy(locals, i + 1, shrunk, i, locals.length - i - 1);
                return shrunk;
            }
        }
        return locals;
    }

    /** Read without the lock: a count. */
    int size() {
        return all.length;
    }

    boolean isEmpty() {
        return all.length == 0;
    }

    /** Enqueues the publication for each subscriber due to receive it. */
    void deliver(Message message, Recipients recipients) {
        for (Local local : message.present() >= 0 ? presence : all) {
            if (local.starting != null) {
                local.starting.add(message); // its start merges it with the history it reads
            } else if (message.offset() > local.servedThrough) {
                local.subscriber.deliver(message);
                recipients.add(local.subscriber);
            }
        }
    }

    /**
     * The topic's past was lost (a new epoch: offsets start again): every subscriber is told, and
     * one whose start is under way reads again.
     */
    void newEpoch(boolean historyLost, Recipients recipients) {
        for (Local local : all) {
            local.servedThrough = Long.MIN_VALUE;
            local.starting = null;
            local.subscriber.reset(historyLost);
            recipients.add(local.subscriber);
        }
    }

    /** This server's presence entries in the topic were lost: every subscriber claims its own again. */
    void presenceLost(Recipients recipients) {
        for (Local local : all) {
            local.subscriber.reset(false);
            recipients.add(local.subscriber);
        }
    }
}
