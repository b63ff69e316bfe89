package dev.socketworks.runtime;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /api/drain}: this server stops taking clients at once (health not ready, handshakes
 * refused with 503) and closes its sessions with 1012 after {@code drainGraceMs}, so they reconnect
 * to another server (with the engine, resuming there with nothing lost). For a rolling update or a
 * machine's maintenance; undeploy does the same without the grace. Answers 202; again, 200 with
 * {@code "already": true}.
 */
@WebServlet(urlPatterns = "/api/drain")
public class DrainApi extends ApiServlet {

    /** What a drain call did. */
    public record Draining(String node, long closingInMs, boolean already) {
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("POST", "api:drain");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException {
        boolean started = app.drain();
        json(response, started ? 202 : 200, new Draining(app.hub().node(), app.settings().drainGrace().toMillis(), !started));
    }
}
