package dev.socketworks.handshake;

import dev.socketworks.auth.Identity;

/**
 * Facts about the HTTP request carrying a WebSocket handshake that the Jakarta WebSocket API does not
 * expose: {@code Configurator.checkOrigin} receives only the Origin value, and {@code HandshakeRequest}
 * has no remote address. {@link UpgradeRequestListener} records them for the request's thread;
 * containers run checkOrigin and modifyHandshake synchronously on that thread.
 *
 * @param requestOrigin the origin the client addressed: request scheme, Host name and port
 * @param clientAddress the address connections are counted under ({@link ClientAddress})
 */
public record UpgradeRequest(Origin requestOrigin, String remoteAddress, int remotePort,
                             String serverName, int serverPort, String clientAddress) {

    private static final ThreadLocal<UpgradeRequest> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Identity> IDENTITY = new ThreadLocal<>();

    /** The request being handled on this thread, or null outside a request. */
    public static UpgradeRequest current() {
        return CURRENT.get();
    }

    static void set(UpgradeRequest request) {
        CURRENT.set(request);
    }

    static void clear() {
        CURRENT.remove();
        IDENTITY.remove();
    }

    /** Who the admission filter found the request's client to be, for the handshake that follows on this thread. */
    public static void authenticated(Identity identity) {
        IDENTITY.set(identity);
    }

    /** The identity {@link #authenticated} recorded for this thread's request, or null (no check ran). */
    public static Identity identity() {
        return IDENTITY.get();
    }
}
