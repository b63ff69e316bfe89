package dev.socketworks.runtime;

import dev.socketworks.json.JsonMessages;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health in MicroProfile Health's JSON shape, served by the WAR itself so it works on every container
 * (Tomcat has no MicroProfile): {@code GET /health/live} (the deployment runs), {@code /health/started}
 * (start-up finished), {@code /health/ready} (send it clients: started, not stopping or draining, its
 * engine reachable) and {@code /health} (all of them). 200 with {@code "status":"UP"}, 503 with
 * {@code "DOWN"}; each check names itself and says why in its {@code data}. Unauthenticated, as load
 * balancers and Kubernetes probes call it; it tells nothing a client could not learn by connecting.
 */
@WebServlet(urlPatterns = {"/health", "/health/live", "/health/ready", "/health/started"})
public class HealthServlet extends HttpServlet {

    static final String UP = "UP";
    static final String DOWN = "DOWN";

    /** One check: its name, UP or DOWN, and what it saw. */
    @JsonbPropertyOrder({"name", "status", "data"})
    public record Check(String name, String status, Map<String, Object> data) {
    }

    /** The answer: UP only if every check is. */
    @JsonbPropertyOrder({"status", "checks"})
    public record Report(String status, List<Check> checks) {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AppContext app = AppContext.running(getServletContext());
        String kind = request.getServletPath().equals("/health") ? "" : request.getServletPath().substring("/health/".length());
        List<Check> checks = new ArrayList<>();
        if (kind.isEmpty() || kind.equals("live")) {
            checks.add(live(app));
        }
        if (kind.isEmpty() || kind.equals("started")) {
            checks.add(started(app));
        }
        if (kind.isEmpty() || kind.equals("ready")) {
            checks.addAll(ready(app));
        }
        boolean up = checks.stream().allMatch(check -> check.status().equals(UP));
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(JsonMessages.toJson(new Report(up ? UP : DOWN, checks)));
    }

    /**
     * The deployment runs: its context is there. (Not its scheduler's state: a container's managed
     * executor refuses lifecycle calls, WildFly's with an exception.)
     */
    static Check live(AppContext app) {
        if (app == null) {
            return new Check("deployment", DOWN, Map.of("reason", "not running"));
        }
        return new Check("deployment", UP, Map.of("connections", app.sessions().count()));
    }

    static Check started(AppContext app) {
        return app == null ? new Check("started", DOWN, Map.of("reason", "start-up has not finished"))
                : new Check("started", UP, Map.of("since", app.startedAt().toString()));
    }

    /** Ready for new clients: not stopping or draining, and the engine (Redis, when shared) reachable. */
    static List<Check> ready(AppContext app) {
        if (app == null) {
            return List.of(new Check("accepting", DOWN, Map.of("reason", "not started")));
        }
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("engine", app.hub().shared() ? "redis" : "memory");
        engine.put("node", app.hub().node());
        boolean reachable = app.hub().available();
        if (!reachable) {
            engine.put("reason", "unreachable");
        }
        boolean accepting = !app.stopping();
        String state = accepting ? "serving" : app.draining() ? "draining" : "stopping";
        return List.of(new Check("accepting", accepting ? UP : DOWN, Map.of("state", state)),
                new Check("engine", reachable ? UP : DOWN, engine));
    }
}
