package dev.socketworks.runtime;

import dev.socketworks.config.Settings;
import dev.socketworks.handshake.ClientAddress;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code GET /metrics}: the deployment's metrics in the Prometheus text format, for a scraper on the
 * same machine (or a sidecar), the client being the one a trusted proxy names ({@code trustedProxies}),
 * so a proxy on the same machine does not open it to everyone as long as it is listed there and sends
 * {@code X-Forwarded-For}; or for one elsewhere with an API key holding the right {@code metrics}.
 * Others get 403.
 */
@WebServlet(urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

    /** Literal loopback addresses only: a forwarded name is never looked up. */
    private static final Pattern LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}|::1|0:0:0:0:0:0:0:1");

    static boolean isLoopback(String address) {
        return address != null && LOOPBACK.matcher(address).matches();
    }

    /** A key from the API's keys file with the right {@code metrics} (a scraper elsewhere). */
    static boolean holdsMetricsRight(HttpServletRequest request, AppContext app) {
        if (app.apiKeys() == null) {
            return false;
        }
        String authorization = request.getHeader("Authorization");
        String key = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : request.getHeader("X-API-Key");
        return app.apiKeys().find(key).map(holder -> holder.rights().allows("metrics")).orElse(false);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AppContext app = AppContext.running(getServletContext());
        response.setHeader("Cache-Control", "no-store");
        if (app == null) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "not started");
            return;
        }
        if (!app.metrics().on()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "Metrics are off on this server (socketworks.metrics=off)");
            return;
        }
        Settings settings = app.settings();
        String client = ClientAddress.of(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"), settings.trustedProxies());
        if (!isLoopback(client) && !holdsMetricsRight(request, app)) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"socketworks-api\"");
            response.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "Forbidden: /metrics answers clients on this machine, or an API key with the right metrics");
            return;
        }
        byte[] body = app.metrics().scrape().getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
