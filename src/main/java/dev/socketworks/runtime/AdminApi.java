package dev.socketworks.runtime;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /api/admin}: one snapshot of what {@code /admin/stream} sends every 2 s (right
 * {@code admin}): for a script, and for the admin page to check a key before it opens the stream
 * (a refused WebSocket handshake shows a browser no status).
 */
@WebServlet(urlPatterns = "/api/admin")
public class AdminApi extends ApiServlet {

    @Override
    protected Map<String, String> rights() {
        return Map.of("GET", AdminEndpoint.RIGHT);
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException {
        json(response, 200, AdminEndpoint.snapshot(app));
    }
}
