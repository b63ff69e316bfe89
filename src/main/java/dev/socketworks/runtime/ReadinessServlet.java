package dev.socketworks.runtime;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /ready}: 200 "ready" when this server can serve every service, 503 when it cannot (its
 * shared engine is unreachable, or it is starting, or being undeployed: from the moment undeploy
 * begins, before its clients are closed with 1012, so they reconnect to another server). For a load balancer's health check:
 * a server without Redis still accepts connections, but it should not be sent new clients.
 */
@WebServlet(urlPatterns = "/ready")
public class ReadinessServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AppContext app = AppContext.running(getServletContext());
        boolean ready = app != null && app.ready();
        response.setStatus(ready ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().println(ready ? "ready" : app == null ? "not started"
                : app.hub().available() ? "stopping" : "engine unavailable");
    }
}
