package dev.socketworks.arena;

import dev.socketworks.json.Unicode;
import dev.socketworks.outbox.Outbox;

/**
 * Where a seat's messages go: its connection's outbox on this server, or, for a player connected to
 * another server, a batch relayed to that server through the engine. {@link #send} only enqueues
 * (it is called under the arena's lock); {@link #flush} starts the sending, with no lock held.
 */
interface Sink {

    void send(String text);

    /** Messages waiting to be sent; a relayed seat reports 0, as its own server watches its backlog. */
    int queued();

    void flush();

    record Local(Outbox outbox) implements Sink {

        @Override
        public void send(String text) {
            // Each frame is a String of its own: measured here, not through the outbox's cache of the
            // last fan-out text, which would remember every frame in a new record for nothing.
            outbox.enqueueText(text, Unicode.utf8Length(text));
        }

        @Override
        public int queued() {
            return outbox.queued();
        }

        @Override
        public void flush() {
            outbox.flush();
        }
    }

    /** A seat on another server: its messages join that server's batch, published once per flush. */
    record Relayed(String key, RelayBatch batch) implements Sink {

        @Override
        public void send(String text) {
            batch.add(key, text);
        }

        @Override
        public int queued() {
            return 0;
        }

        @Override
        public void flush() {
            batch.flush();
        }
    }
}
