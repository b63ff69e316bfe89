package dev.socketworks.arena;

import java.util.function.Consumer;

/**
 * What the arena's server sends, in one tick, to the players connected to one other server: lines
 * of {@code SEAT<tab>MESSAGE} (messages are JSON on one line), published as one message on that
 * server's topic. Bounded by the tick: a tick adds at most a few messages per seat, and each flush
 * empties it.
 */
final class RelayBatch {

    private final Consumer<String> publish;
    private final Object publishing = new Object();
    private final StringBuilder pending = new StringBuilder(); // guarded by this

    RelayBatch(Consumer<String> publish) {
        this.publish = publish;
    }

    synchronized void add(String seat, String message) {
        pending.append(seat).append('\t').append(message).append('\n');
    }

    /** Publishes what is pending. Two flushes never overtake each other: a snapshot must not arrive after the delta that follows it. */
    void flush() {
        synchronized (publishing) {
            String text;
            synchronized (this) {
                if (pending.isEmpty()) {
                    return;
                }
                text = pending.toString();
                pending.setLength(0);
            }
            publish.accept(text);
        }
    }
}
