package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open session's outbox, so undeploy can close them all with 1001 instead of dropping them. */
public final class OpenSessions {

    static final CloseReason SHUTTING_DOWN = CloseReasons.of(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");

    private final Set<Outbox> open = ConcurrentHashMap.newKeySet();

    public void add(Outbox outbox) {
        open.add(outbox);
    }

    public void remove(Outbox outbox) {
        open.remove(outbox);
    }

    public int count() {
        return open.size();
    }

    /** Closes every session with 1001 "server shutting down" (after its in-flight message). */
    public void closeAll() {
        for (Outbox outbox : open) {
            outbox.close(SHUTTING_DOWN);
        }
        open.clear();
    }
}
