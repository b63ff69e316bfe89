package dev.socketworks.chat;

import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A room's presence changes on this server: the one subscriber of the room's topic that receives
 * them (members do not: {@link Subscriber#receivesPresence}), so a join costs this server one
 * delivery whatever the room's size. It keeps the last changes and tells the room's members when to
 * fetch what they have not seen: at once after a quiet spell of {@code chatPresenceBatchMs},
 * otherwise at the room's next tick, when every change that waited goes in one
 * {@code chat-presence-diff}. A storm of n joins so costs each member a few messages a second, and
 * the server O(n) deliveries plus O(members) per tick, not O(n × members). A member also fetches
 * the changes before any other message it is sent, so a joiner is never heard before its join. The
 * diff is rendered once per tick and shared by every member that knew the same changes.
 */
final class PresenceBatches implements Subscriber {

    /** Runs a task after a delay: the deployment's scheduler, or a test's hand. */
    interface Later {
        void after(long millis, Runnable task);
    }

    /** A member of the room on this server, told when there are changes for it to fetch. */
    interface Recipient {
        /** Called with no lock held: fetch with {@link #since} and send; returns whether anything was sent. */
        boolean presenceChanged();
    }

    /**
     * What a member that knows the room up to one offset is to be sent: nothing ({@code through} is
     * where it was), one change as itself ({@code single}), a diff ({@code text}), or, when changes it
     * has not seen were forgotten here, the room's state again ({@code stale}).
     */
    record Update(long through, Message single, String text, boolean stale) {
        boolean isEmpty() {
            return single == null && text == null && !stale;
        }
    }

    /** A room with no batching: every change goes at once, one message each. */
    static PresenceBatches unbatched() {
        return new PresenceBatches(0, 1000, (millis, task) -> task.run());
    }

    private final long batchNanos;
    private final int listMax;
    private final Later later;
    private final java.util.concurrent.Executor engineWork;
    // Enough for a member one tick behind in any storm this server can take (a tick's changes are
    // pushed early when listMax of them wait); a member further behind gets the room's state again.
    private final int recentMax;
    private final Set<Recipient> recipients = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private final ArrayDeque<Message> recent = new ArrayDeque<>(); // the last changes, in offset order
    private long forgottenThrough = Long.MIN_VALUE; // the newest change no longer in recent
    private long pushedAt = System.nanoTime() - (1L << 40);
    private boolean tickBooked;
    private boolean pushOnFlush;
    private int waiting; // changes waiting for the booked tick
    private Rendered lastRendered;
    private volatile long newest = Long.MIN_VALUE; // read by members without the lock: most deliveries find nothing new

    // The relay's subscription to the room's topic, made on the first member's and closed with the room.
    private final AtomicReference<CompletableFuture<Hub.Subscription>> following = new AtomicReference<>();

    /**
     * @param batchMillis the shortest time between two presence pushes to the room (0: no batching)
     * @param listMax     the most members a joiner's list names, and the most changes that wait for a tick
     */
    PresenceBatches(long batchMillis, int listMax, Later later) {
        this(batchMillis, listMax, later, Runnable::run);
    }

    /** @param engineWork runs a member's rare presence calls to the engine (claiming its entry again, the room's state), never the tick's thread */
    PresenceBatches(long batchMillis, int listMax, Later later, java.util.concurrent.Executor engineWork) {
        this.batchNanos = batchMillis * 1_000_000L;
        this.listMax = listMax;
        this.later = later;
        this.engineWork = engineWork;
        this.recentMax = Math.max(64, 2 * listMax);
    }

    int listMax() {
        return listMax;
    }

    /** Where a member's presence calls to the engine run: off the presence tick, which runs on the deployment's shared scheduler. */
    java.util.concurrent.Executor engineWork() {
        return engineWork;
    }

    /**
     * Subscribes the relay to the room's topic if it is not yet: before a member subscribes and enters,
     * so every change after its entry reaches the relay. The first caller subscribes; a concurrent one
     * waits for its answer. No lock is held across the engine call.
     */
    void follow(Hub hub, String topic) {
        while (true) {
            CompletableFuture<Hub.Subscription> current = following.get();
            if (current == null) {
                CompletableFuture<Hub.Subscription> mine = new CompletableFuture<>();
                if (!following.compareAndSet(null, mine)) {
                    continue;
                }
                try {
                    mine.complete(hub.subscribe(topic, this));
                    return;
                } catch (RuntimeException e) {
                    following.compareAndSet(mine, null); // the next member tries again
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                current.join();
                return;
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure; // the first caller's failure (the engine unreachable): this member's too
                }
                throw e;
            }
        }
    }

    /** The room is dropped on this server. */
    void stopFollowing() {
        CompletableFuture<Hub.Subscription> current = following.getAndSet(null);
        if (current != null) {
            current.thenAccept(Hub.Subscription::close); // at once, or when a subscription under way is made
        }
    }

    void add(Recipient recipient) {
        recipients.add(recipient);
    }

    void remove(Recipient recipient) {
        recipients.remove(recipient);
    }

    /** The newest change received: a member that knows it has nothing to fetch. */
    long newest() {
        return newest;
    }

    @Override
    public boolean receivesPresence() {
        return true;
    }

    /** Under the engine's lock or on its delivery thread: keeps the change and decides when to push. */
    @Override
    public synchronized void deliver(Message message) {
        if (message.present() < 0) {
            return; // a chat message: each member gets it on its own subscription
        }
        recent.addLast(message);
        while (recent.size() > recentMax) {
            forgottenThrough = recent.removeFirst().offset();
        }
        newest = message.offset();
        if (pushOnFlush || tickBooked) {
            if (tickBooked && ++waiting >= listMax) {
                pushOnFlush = true; // one message's worth: sent without waiting for the tick
            }
            return;
        }
        long quiet = System.nanoTime() - pushedAt;
        if (quiet >= batchNanos) {
            pushOnFlush = true; // after a quiet spell a change goes at once
        } else {
            tickBooked = true;
            waiting = 1;
            later.after(Math.max(1, (batchNanos - quiet) / 1_000_000L), this::tick);
        }
    }

    @Override
    public void flush() {
        boolean push;
        synchronized (this) {
            push = pushOnFlush;
            pushOnFlush = false;
        }
        if (push) {
            push();
        }
    }

    /** The topic's past was lost: offsets start again, so changes kept from before mean nothing. */
    @Override
    public synchronized void reset(boolean historyLost) {
        if (historyLost) {
            recent.clear();
            newest = Long.MIN_VALUE;
            forgottenThrough = Long.MIN_VALUE;
            waiting = 0;
            lastRendered = null;
        }
    }

    private void tick() {
        synchronized (this) {
            tickBooked = false;
        }
        push();
    }

    private void push() {
        synchronized (this) {
            waiting = 0;
        }
        boolean sent = false;
        for (Recipient recipient : recipients) {
            sent |= recipient.presenceChanged();
        }
        if (sent) { // a change nobody here had to hear (a joiner's own) leaves the room quiet
            synchronized (this) {
                pushedAt = System.nanoTime();
            }
        }
    }

    /**
     * What a member that knows the room up to {@code known} is to be sent to know it up to
     * {@code before} (exclusive): the changes between, as one message.
     */
    synchronized Update since(long known, long before) {
        if (newest <= known) {
            return new Update(known, null, null, false);
        }
        if (forgottenThrough > known) {
            return new Update(Math.max(newest, known), null, null, true);
        }
        Rendered previous = lastRendered;
        if (before > newest && previous != null && previous.after() == known && previous.through() == newest) {
            return new Update(newest, null, previous.text(), false); // what most members of a push fetch: rendered once
        }
        // From the newest back to what the member knows: a tick's changes, not the whole of recent.
        ArrayDeque<Message> changes = new ArrayDeque<>();
        for (var it = recent.descendingIterator(); it.hasNext(); ) {
            Message m = it.next();
            if (m.offset() <= known) {
                break;
            }
            if (m.offset() < before) {
                changes.addFirst(m);
            }
        }
        if (changes.isEmpty()) {
            return new Update(known, null, null, false);
        }
        long through = changes.peekLast().offset();
        if (changes.size() == 1 && changes.peekFirst().present() <= listMax) {
            return new Update(through, changes.peekFirst(), null, false);
        }
        if (previous != null && previous.after() == known && previous.through() == through) {
            return new Update(through, null, previous.text(), false);
        }
        String text = ChatMessages.presenceDiff(List.copyOf(changes), listMax);
        lastRendered = new Rendered(known, through, text);
        return new Update(through, null, text, false);
    }

    /** The diff of the changes after one offset through another: the same for every member that knew the same. */
    private record Rendered(long after, long through, String text) {
    }
}
