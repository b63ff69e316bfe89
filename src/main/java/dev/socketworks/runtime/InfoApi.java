package dev.socketworks.runtime;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /api/info}: this server (its name in the engine, the engine, whether it is ready, since
 * when it runs) and its open connections. With the engine, each server answers for itself: ask each,
 * or use the metrics of each.
 */
@WebServlet(urlPatterns = "/api/info")
public class InfoApi extends ApiServlet {

    /** What one server says about itself. */
    public record Info(String node, String engine, boolean ready, String startedAt, int connections) {
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("GET", "api:info");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException {
        json(response, 200, new Info(app.hub().node(), app.hub().shared() ? "redis" : "memory", app.ready(),
                app.startedAt().toString(), app.sessions().count()));
    }
}
