package dev.socketworks.runtime;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /api/info}: every server sharing the engine (this one alone in memory): its name, whether
 * it is ready or draining, since when it runs and its open connections; {@code missing} names the
 * servers alive that did not answer in time.
 */
@WebServlet(urlPatterns = "/api/info")
public class InfoApi extends ApiServlet {

    /** What one server says about itself. */
    public record Server(String node, boolean ready, boolean draining, String startedAt, int connections) {
    }

    /** The answer: the engine, every server that answered, their connections together. */
    public record Info(String engine, int connections, java.util.List<Server> servers, java.util.List<String> missing) {
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("GET", "api:info");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException, InterruptedException {
        ServerControl.Answers answers = app.control().ask("info", Map.of());
        java.util.List<Server> servers = answers.bodies(Server.class).stream()
                .sorted(java.util.Comparator.comparing(Server::node)).toList();
        json(response, 200, new Info(app.hub().shared() ? "redis" : "memory", servers.stream().mapToInt(Server::connections).sum(),
                servers, answers.missing()));
    }

    static void answerOn(AppContext app) {
        app.control().answer("info", args -> new Server(app.hub().node(), app.ready(), app.draining(), app.startedAt().toString(),
                app.sessions().count()));
    }
}
