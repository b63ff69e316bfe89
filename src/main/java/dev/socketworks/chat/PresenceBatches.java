package dev.socketworks.chat;

import dev.socketworks.hub.Message;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A room's presence changes on this server, coalesced. A member hears a join or leave at once after
 * a quiet spell of {@code chatPresenceBatchMs}; otherwise it waits for the room's next tick, and every
 * change that waited goes in one {@code chat-presence-diff}. A storm of n joins so costs each member
 * a few messages a second instead of n, and no outbox fills with other people's arrivals. The diff is
 * rendered once per tick and shared by every member that waited for the same changes (all of them,
 * but those who joined during the tick).
 */
final class PresenceBatches {

    /** Runs a task after a delay: the deployment's scheduler, or a test's hand. */
    interface Later {
        void after(long millis, Runnable task);
    }

    /** Every change at once, one message each: the behaviour of a room with no batching. */
    static final PresenceBatches NONE = new PresenceBatches(0, 1000, (millis, task) -> task.run());

    private final long batchNanos;
    private final int listMax;
    private final Later later;
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean tickBooked = new AtomicBoolean();
    private final AtomicReference<Rendered> lastDiff = new AtomicReference<>();

    /**
     * @param batchMillis the shortest time between two presence messages to one member (0: no batching)
     * @param listMax     the most members a joiner's list names, and the most changes one diff carries
     */
    PresenceBatches(long batchMillis, int listMax, Later later) {
        this.batchNanos = batchMillis * 1_000_000L;
        this.listMax = listMax;
        this.later = later;
    }

    long batchNanos() {
        return batchNanos;
    }

    int listMax() {
        return listMax;
    }

    /** Runs {@code flush} at the room's next tick: one timer per room, however many members wait. */
    void atNextTick(Runnable flush) {
        waiting.add(flush);
        if (tickBooked.compareAndSet(false, true)) {
            later.after(batchNanos / 1_000_000L, this::tick);
        }
    }

    private void tick() {
        tickBooked.set(false); // before running: a change arriving meanwhile books the next tick
        for (Runnable flush : waiting.toArray(Runnable[]::new)) {
            waiting.remove(flush);
            flush.run();
        }
    }

    /** One message for the changes, in order; the same String for every member with the same changes. */
    String diff(List<Message> changes) {
        Rendered previous = lastDiff.get();
        if (previous != null && previous.matches(changes)) {
            return previous.text();
        }
        String text = ChatMessages.presenceDiff(changes, listMax);
        lastDiff.set(new Rendered(changes.get(0), changes.get(changes.size() - 1), changes.size(), text));
        return text;
    }

    /** A diff, known by its first and last publication (the same instances reach every member here) and their count. */
    private record Rendered(Message first, Message last, int size, String text) {
        boolean matches(List<Message> changes) {
            return changes.size() == size && changes.get(0) == first && changes.get(size - 1) == last;
        }
    }
}
