package dev.socketworks.handshake;

import dev.socketworks.config.Settings;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Answers plain HTTP requests to the WebSocket endpoint paths. Upgrade requests only get here when
 * the container's WebSocket layer declined them: WildFly (Undertow) passes a refused Origin down the
 * filter chain, where it would become a 404; answering here makes it 403 on every container. Tomcat
 * and Payara answer 403 themselves and never forward such requests.
 */
@WebServlet(name = "websocket-paths", urlPatterns = {"/echo", "/broadcast", "/countdown", "/totals"})
public class RefusedUpgradeServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (UpgradeRequestListener.isWebSocketUpgrade(request)) {
            Settings settings = Settings.current();
            UpgradeRequest upgrade = UpgradeRequest.current();
            boolean originRefused = !settings.originPolicy().check(request.getHeader("Origin"),
                    upgrade == null ? null : upgrade.requestOrigin(), settings.allowMissingOrigin()).allowed();
            // The refusal was already logged by HandshakePolicy.checkOrigin: no second line here.
            response.sendError(originRefused ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_BAD_REQUEST,
                    originRefused ? "Origin not allowed" : "Bad WebSocket handshake");
            return;
        }
        response.setStatus(426); // Upgrade Required
        response.setHeader("Upgrade", "websocket");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("This is a WebSocket endpoint: connect with ws:// or wss:// to "
                + request.getRequestURI());
    }
}
