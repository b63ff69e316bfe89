package dev.socketworks.runtime;

import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/users/{sub}/...}, on every server: {@code POST .../disconnect} (optional
 * {@code {"code": n, "reason": "..."}}, default 1008 "disconnected") closes every connection of the
 * user; {@code POST .../revoke} refuses the user's tokens issued before this second, on every server,
 * for {@code tokenRevocationMs}, and closes the user's connections with 1008 "revoked". A new token
 * (issued from the next second on) connects again.
 */
@WebServlet(urlPatterns = "/api/users/*")
public class UsersApi extends ApiServlet {

    static final CloseRequest DEFAULT_DISCONNECT = new CloseRequest(1008, "disconnected");
    static final CloseRequest REVOKED = new CloseRequest(1008, "revoked");
    private static final Pattern CALL = Pattern.compile("/([^/]+)/(disconnect|revoke)");

    /** How many of the user's connections closed, on the servers that answered. */
    public record Disconnected(String user, int closed, List<String> missing) {
    }

    /** A revocation: tokens issued before {@code revokedBefore} are refused until {@code until}. */
    public record Revoked(String user, String revokedBefore, String until, int closed, List<String> missing) {
    }

    /** One server's count of connections closed. */
    public record ServerClosed(int closed) {
    }

    /** A token's {@code sub} as the API takes it: 1-256 characters, none of them a control character. */
    static boolean isValidSubject(String subject) {
        return subject != null && !subject.isEmpty() && subject.length() <= 256 && subject.codePoints().noneMatch(Character::isISOControl);
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("POST", "api:users");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException, InterruptedException {
        Matcher call = CALL.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!call.matches()) {
            error(response, 404, "not-found", "POST /api/users/{sub}/disconnect or /api/users/{sub}/revoke");
            return;
        }
        String user = call.group(1);
        if (!isValidSubject(user)) {
            error(response, 400, "invalid-field", "the user must be 1-256 characters, no control characters");
            return;
        }
        JsonObject body = optionalJsonBody(request, response, app.settings().maxMessageBytes());
        if (body == null) {
            return;
        }
        if (call.group(2).equals("disconnect")) {
            CloseRequest how = closeRequest(body, DEFAULT_DISCONNECT, response);
            if (how != null) {
                ServerControl.Answers answers = disconnect(app, user, how, null);
                json(response, 200, new Disconnected(user, closed(answers), answers.missing()));
            }
            return;
        }
        if (!body.isEmpty()) {
            error(response, 400, "invalid-field", "revoke takes no fields");
            return;
        }
        // Whole seconds, as iat is: a token issued later in this second is a new one and connects.
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (!app.hub().revoke(user, before, app.settings().tokenRevocation())) {
            error(response, 503, "unavailable", "this server keeps the most revocations it may in memory; try again later");
            return;
        }
        app.revocations().heard(user, before);
        ServerControl.Answers answers = disconnect(app, user, REVOKED, before);
        json(response, 200, new Revoked(user, before.toString(), before.plus(app.settings().tokenRevocation()).toString(),
                closed(answers), answers.missing()));
    }

    private static ServerControl.Answers disconnect(AppContext app, String user, CloseRequest how, Instant revokedBefore)
            throws InterruptedException {
        Map<String, String> args = new HashMap<>(Map.of("user", user, "code", Integer.toString(how.code()), "reason", how.reason()));
        if (revokedBefore != null) {
            args.put("revokedBefore", revokedBefore.toString());
        }
        return app.control().ask("disconnect", args);
    }

    private static int closed(ServerControl.Answers answers) {
        return answers.bodies(ServerClosed.class).stream().mapToInt(ServerClosed::closed).sum();
    }

    /** What this server answers: closing the user's connections here, and remembering a revocation. */
    static void answerOn(AppContext app) {
        app.control().answer("disconnect", args -> {
            String user = args.get("user");
            if (args.containsKey("revokedBefore")) {
                app.revocations().heard(user, Instant.parse(args.get("revokedBefore")));
            }
            int closed = 0;
            for (Connection connection : app.connections().all()) {
                if (user.equals(connection.identity().subject()) && !connection.outbox().isClosed()) {
                    connection.outbox().close(ConnectionsApi.reason(args));
                    closed++;
                }
            }
            return new ServerClosed(closed);
        });
    }
}
