package dev.socketworks.runtime;

import dev.socketworks.outbox.CloseReasons;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/connections}: {@code GET ?user=SUB&limit=N} lists open connections on every server
 * (oldest first; all users without {@code user}; at most {@code limit}, default 100, at most 1,000);
 * {@code POST /api/connections/{id}/close} with an optional {@code {"code": n, "reason": "..."}}
 * closes one, wherever it is (default 1000 "closed by the server"). {@code missing} names the
 * servers that did not answer in time.
 */
@WebServlet(urlPatterns = {"/api/connections", "/api/connections/*"})
public class ConnectionsApi extends ApiServlet {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    static final CloseRequest DEFAULT_CLOSE = new CloseRequest(1000, "closed by the server");
    private static final Pattern CLOSE = Pattern.compile("/([0-9a-z]{12})/close");

    /** One open connection, as the API shows it. {@code user} is absent for a guest. */
    public record Listed(String id, String server, String endpoint, String address, String user, String openedAt) {
    }

    /** One server's answer: how many of its connections matched, and the first {@code limit}. */
    public record ServerListing(int matched, List<Listed> connections) {
    }

    /** The answer: {@code total} matched on the servers that answered, {@code connections} the oldest of them. */
    public record Listing(int total, boolean truncated, List<Listed> connections, List<String> missing) {
    }

    /** How many connections a close reached (0 or 1 for one id). */
    public record Closed(int closed, List<String> missing) {
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("GET", "api:connections", "POST", "api:connections");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException, InterruptedException {
        String path = request.getPathInfo();
        if (request.getMethod().equals("GET")) {
            if (path != null && !path.equals("/")) {
                error(response, 404, "not-found", "no such call: GET /api/connections" + path);
                return;
            }
            list(request, response, app);
            return;
        }
        Matcher close = CLOSE.matcher(path == null ? "" : path);
        if (!close.matches()) {
            error(response, 404, "not-found", "POST /api/connections/{id}/close, the id as GET /api/connections gives it");
            return;
        }
        JsonObject body = optionalJsonBody(request, response, app.settings().maxMessageBytes());
        CloseRequest how = body == null ? null : closeRequest(body, DEFAULT_CLOSE, response);
        if (how == null) {
            return;
        }
        ServerControl.Answers answers = app.control().ask("close", Map.of("id", close.group(1), "code", Integer.toString(how.code()),
                "reason", how.reason()));
        int closed = answers.bodies(Closed.class).stream().mapToInt(Closed::closed).sum();
        if (closed == 0 && answers.missing().isEmpty()) {
            error(response, 404, "not-found", "no server has an open connection " + close.group(1));
        } else if (closed == 0) {
            error(response, 503, "unavailable", "no server that answered has it, and " + answers.missing() + " did not answer; try again");
        } else {
            json(response, 200, new Closed(closed, answers.missing()));
        }
    }

    private static void list(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException, InterruptedException {
        String user = request.getParameter("user");
        if (user != null && !UsersApi.isValidSubject(user)) {
            error(response, 400, "invalid-field", "user must be 1-256 characters, no control characters");
            return;
        }
        Integer limit = wholeNumber(request.getParameter("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        if (limit == null) {
            error(response, 400, "invalid-field", "limit must be a whole number from 1 to " + MAX_LIMIT);
            return;
        }
        Map<String, String> args = new HashMap<>();
        args.put("limit", Integer.toString(limit));
        if (user != null) {
            args.put("user", user);
        }
        ServerControl.Answers answers = app.control().ask("connections", args);
        List<ServerListing> listings = answers.bodies(ServerListing.class);
        int total = listings.stream().mapToInt(ServerListing::matched).sum();
        List<Listed> all = new ArrayList<>();
        listings.forEach(l -> all.addAll(l.connections()));
        all.sort(Comparator.comparing(Listed::openedAt).thenComparing(Listed::id));
        List<Listed> first = all.subList(0, Math.min(limit, all.size()));
        json(response, 200, new Listing(total, total > first.size(), first, answers.missing()));
    }

    /** What this server answers: its connections for a listing, and closing one of them. */
    static void answerOn(AppContext app) {
        app.control().answer("connections", args -> {
            String user = args.get("user");
            int limit = Integer.parseInt(args.getOrDefault("limit", Integer.toString(DEFAULT_LIMIT)));
            List<Connection> matching = app.connections().all().stream()
                    .filter(c -> user == null || user.equals(c.identity().subject()))
                    .sorted(Comparator.comparing(Connection::openedAt))
                    .toList();
            return new ServerListing(matching.size(), matching.stream().limit(limit).map(c -> listed(c, app)).toList());
        });
        app.control().answer("close", args -> {
            Connection connection = app.connections().get(args.get("id"));
            if (connection == null) {
                return new Closed(0, List.of());
            }
            connection.outbox().close(reason(args));
            return new Closed(1, List.of());
        });
    }

    static CloseReason reason(Map<String, String> args) {
        return CloseReasons.of(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(args.get("code"))), args.get("reason"));
    }

    static Listed listed(Connection c, AppContext app) {
        return new Listed(c.id(), app.hub().node(), c.endpoint(), c.address(), c.identity().subject(), c.openedAt().toString());
    }
}
