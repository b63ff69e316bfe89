package dev.socketworks.handshake;

import dev.socketworks.config.Settings;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

import java.io.IOException;

/**
 * Answers plain HTTP requests to the WebSocket endpoint paths; the runtime maps it at start-up on
 * every path the deployment serves ({@link EndpointPaths}), the context root included (the empty
 * pattern, for the chat lobby's root alias "/"): without an exact mapping there,
 * containers resolve the welcome file first and their WebSocket layer sees "/index.html" instead of
 * "/". A plain GET of the root is forwarded to the start page. Upgrade requests only get here when
 * the container's WebSocket layer declined them: WildFly (Undertow) passes a refused Origin down the
 * filter chain, where it would become a 404; answering here makes it 403 on every container. Tomcat
 * and Payara answer 403 themselves and never forward such requests.
 */
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
        response.setStatus(426); // Upgrade Required
        response.setHeader("Upgrade", "websocket");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().println("This is a WebSocket endpoint: connect with ws:// or wss:// to "
                + request.getRequestURI());
    }

    /** The endpoint's own allowed origins (a configured route's), else the global setting. */
    private OriginPolicy originPolicy(HttpServletRequest request, Settings settings) {
        OriginPolicy own = getServletContext().getAttribute(EndpointPaths.ATTRIBUTE) instanceof EndpointPaths paths
                ? paths.ownOrigins(path(request)) : null;
        return own != null ? own : HandshakePolicy.globalOriginPolicy(settings);
    }

    private static String path(HttpServletRequest request) {
        return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }
}
