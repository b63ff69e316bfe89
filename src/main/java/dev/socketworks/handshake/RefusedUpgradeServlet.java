package dev.socketworks.handshake;

import dev.socketworks.config.Settings;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

import java.io.IOException;

/**
 * Answers plain HTTP requests to the WebSocket endpoint paths. It is also mapped on the context root
 * (the empty pattern), where the chat lobby's root alias lives: without an exact mapping there,
 * containers resolve the welcome file first and their WebSocket layer sees "/index.html" instead of
 * "/". A plain GET of the root is forwarded to the start page. Upgrade requests only get here when
 * the container's WebSocket layer declined them: WildFly (Undertow) passes a refused Origin down the
 * filter chain, where it would become a 404; answering here makes it 403 on every container. Tomcat
 * and Payara answer 403 themselves and never forward such requests.
 */
@WebServlet(name = "websocket-paths", urlPatterns = {"/echo", "/broadcast", "/countdown", "/totals", "/chat", "/chat/*", "/run/*", ""})
public class RefusedUpgradeServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        boolean contextRoot = request.getHttpServletMapping().getMappingMatch() == MappingMatch.CONTEXT_ROOT;
        if (!UpgradeRequestListener.isWebSocketUpgrade(request) && contextRoot) {
            request.getRequestDispatcher("/index.html").forward(request, response);
            return;
        }
        if (UpgradeRequestListener.isWebSocketUpgrade(request)) {
            Settings settings = Settings.current();
            UpgradeRequest upgrade = UpgradeRequest.current();
            boolean originRefused = !HandshakePolicy.verdict(originPolicy(request, settings), settings,
                    request.getHeader("Origin"), upgrade).allowed();
            // The refusal was already logged by HandshakePolicy.checkOrigin: no second line here.
            response.sendError(originRefused ? HttpServletResponse.SC_FORBIDDEN : HttpServletResponse.SC_BAD_REQUEST,
                    originRefused ? "Origin not allowed" : "Bad WebSocket handshake");
            return;
        }
        if (request.getServletPath().equals("/run") && !configured().exists(path(request))) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such route");
            return;
        }
        response.setStatus(426); // Upgrade Required
        response.setHeader("Upgrade", "websocket");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("This is a WebSocket endpoint: connect with ws:// or wss:// to "
                + request.getRequestURI());
    }

    /** A configured endpoint's own allowed origins, if the request is for one that has them. */
    private OriginPolicy originPolicy(HttpServletRequest request, Settings settings) {
        OriginPolicy own = configured().allowedOrigins(path(request));
        return own != null ? own : settings.originPolicy();
    }

    private ConfiguredEndpoints configured() {
        return getServletContext().getAttribute(ConfiguredEndpoints.ATTRIBUTE) instanceof ConfiguredEndpoints endpoints
                ? endpoints : NONE;
    }

    private static String path(HttpServletRequest request) {
        return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }

    private static final ConfiguredEndpoints NONE = new ConfiguredEndpoints() {
        @Override
        public boolean exists(String path) {
            return false;
        }

        @Override
        public OriginPolicy allowedOrigins(String path) {
            return null;
        }
    };
}
