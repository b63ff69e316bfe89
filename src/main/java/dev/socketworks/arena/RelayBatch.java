package dev.socketworks.arena;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the arena's server sends, in one tick, to the players connected to one other server: its
 * frames, published as one {@link RelayMessages.Frames} on that server's topic. Bounded by the tick:
 * a tick adds at most a few messages per seat, and each flush empties it.
 */
final class RelayBatch {

    private final Consumer<String> publish;
    private final Object publishing = new Object();
    private List<RelayMessages.Frame> pending = new ArrayList<>(); // guarded by this

    RelayBatch(Consumer<String> publish) {
        this.publish = publish;
    }

    synchronized void add(String seat, String message) {
        pending.add(new RelayMessages.Frame(seat, message));
    }

    /**
     * Publishes what is pending. Two flushes never overtake each other: a snapshot must not arrive after
     * the delta that follows it. The publication only enqueues on the engine's issuer ({@code
     * publishLater}, bounded, failing at once when full): nothing waits for Redis under this lock.
     */
    void flush() {
        synchronized (publishing) {
            List<RelayMessages.Frame> frames;
            synchronized (this) {
                if (pending.isEmpty()) {
                    return;
                }
                frames = pending;
                pending = new ArrayList<>();
            }
            publish.accept(RelayMessages.frames(frames));
        }
    }
}
