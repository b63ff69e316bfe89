package dev.socketworks.handshake;

import dev.socketworks.config.Settings;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Locale;

/**
 * Records {@link UpgradeRequest} for WebSocket upgrade requests only. Request listeners run before any
 * filter in every container, including the container's own WebSocket filter, so the facts are in place
 * when the handshake policy runs.
 */
@WebListener
public class UpgradeRequestListener implements ServletRequestListener {

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        ServletRequest request = event.getServletRequest();
        if (request instanceof HttpServletRequest http && isWebSocketUpgrade(http)) {
            UpgradeRequest.set(new UpgradeRequest(
                    new Origin(http.getScheme(), http.getServerName(), http.getServerPort()),
                    http.getRemoteAddr(), http.getRemotePort(), http.getServerName(), http.getServerPort(),
                    ClientAddress.of(http.getRemoteAddr(), http.getHeader("X-Forwarded-For"),
                            Settings.current().trustedProxies(), Settings.current().ipv6ClientPrefix())));
        }
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        UpgradeRequest.clear();
    }

    static boolean isWebSocketUpgrade(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }
}
