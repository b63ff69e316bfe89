package dev.socketworks.broadcast;

import dev.socketworks.hub.Retention;
import dev.socketworks.runtime.ApiServlet;
import dev.socketworks.runtime.AppContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * {@code POST /api/broadcast}: the body goes to every {@code /broadcast} client on every server, as if
 * a client had sent it: text ({@code text/plain}, UTF-8) or binary ({@code application/octet-stream}),
 * at most {@code maxMessageBytes}. Answers {@code {"offset": N}}, its place in the broadcast's order.
 */
@WebServlet(urlPatterns = "/api/broadcast")
public class BroadcastApi extends ApiServlet {

    /** The offset the publication took. */
    public record Published(long offset) {
    }

    @Override
    protected Map<String, String> rights() {
        return Map.of("POST", "api:broadcast");
    }

    @Override
    protected void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException {
        if (!contentType(request, response, "text/plain", "application/octet-stream")) {
            return;
        }
        boolean text = request.getContentType().toLowerCase(java.util.Locale.ROOT).startsWith("text/plain");
        byte[] body = body(request, response, app.settings().maxMessageBytes());
        if (body == null) {
            return;
        }
        long offset;
        if (text) {
            String message = utf8(body, response);
            if (message == null) {
                return;
            }
            offset = app.hub().publish(BroadcastEndpoint.TOPIC, message, Retention.NONE);
        } else {
            offset = app.hub().publish(BroadcastEndpoint.TOPIC, ByteBuffer.wrap(body), Retention.NONE);
        }
        json(response, 200, new Published(offset));
    }
}
