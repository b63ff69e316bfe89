package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open session's outbox, so undeploy can close them all with a reason instead of dropping
 * them: 1001 when this server alone holds the service, 1012 when other servers sharing the engine
 * go on serving it (the client should reconnect, and may resume, at once).
 */
public final class OpenSessions {

    public static final CloseReason SHUTTING_DOWN = CloseReasons.of(CloseReason.CloseCodes.GOING_AWAY, "server shutting down");
    public static final CloseReason RESTARTING = CloseReasons.of(CloseReason.CloseCodes.SERVICE_RESTART, "service restart");

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

    /** Closes every session with {@code reason} (after its in-flight message). */
    public void closeAll(CloseReason reason) {
        for (Outbox outbox : open) {
            outbox.close(reason);
        }
        open.clear();
    }
}
