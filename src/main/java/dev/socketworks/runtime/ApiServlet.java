package dev.socketworks.runtime;

import dev.socketworks.hub.EngineUnavailableException;
import dev.socketworks.inbound.RateLimit;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.json.StrictJson;
import dev.socketworks.logging.LogLimiter;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One call group of the HTTP API for backends ({@code /api/...}), as a small servlet per service.
 * This base answers what every call shares, in the order a caller needs it: 404 while the API is off
 * (no {@code apiKeys}), 401 without a known key ({@code Authorization: Bearer KEY} or
 * {@code X-API-Key: KEY}), 405 for a method the call does not have, 403 without the call's right, 429
 * past the key's {@code apiRequestsPerSecond}; then the call. Every error is JSON shaped like the
 * WebSocket services' ({@code {"code": ..., "message": ...}}), never a container's page or a stack
 * trace. One log line per refusal, naming the key's holder or the address, never the key.
 */
public abstract class ApiServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());

    /** An API error: a code a program can test and a sentence a person can read. */
    public record Error(String code, String message) {
    }

    /** The right each method of this call needs ("GET" → "api:totals"); a method not listed answers 405. */
    protected abstract Map<String, String> rights();

    /** The call itself, for a caller that may make it. */
    protected abstract void call(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException;

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AppContext app = AppContext.running(getServletContext());
        try {
            answer(request, response, app);
        } finally {
            if (app != null) {
                app.metrics().apiCall(request.getServletPath(), response.getStatus());
            }
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, AppContext app) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (app == null) {
            error(response, 503, "unavailable", "the server is starting or stopping");
            return;
        }
        if (app.apiKeys() == null) {
            error(response, 404, "not-found", "the HTTP API is off on this server (socketworks.apiKeys is not set)");
            return;
        }
        ApiKeys.Holder holder = app.apiKeys().find(presentedKey(request)).orElse(null);
        if (holder == null) {
            refused(request, null, "no known API key");
            response.setHeader("WWW-Authenticate", "Bearer realm=\"socketworks-api\"");
            error(response, 401, "unauthorized", "send an API key: Authorization: Bearer KEY, or X-API-Key: KEY");
            return;
        }
        String right = rights().get(request.getMethod());
        if (right == null) {
            response.setHeader("Allow", String.join(", ", rights().keySet()));
            error(response, 405, "method-not-allowed", request.getMethod() + " is not a call here; allowed: " + String.join(", ", rights().keySet()));
            return;
        }
        if (!holder.rights().allows(right)) {
            refused(request, holder, "no right " + right);
            error(response, 403, "forbidden", "this key has no right " + right);
            return;
        }
        RateLimit limit = app.apiRate(holder.name());
        RateLimit.Verdict verdict;
        synchronized (limit) {
            verdict = limit.take(0);
        }
        if (verdict != RateLimit.Verdict.ALLOWED) {
            refused(request, holder, "over apiRequestsPerSecond");
            response.setHeader("Retry-After", "1");
            error(response, 429, "rate-limited", "this key made more than apiRequestsPerSecond (" + app.settings().apiRequestsPerSecond()
                    + ") calls a second; slow down");
            return;
        }
        try {
            call(request, response, app);
        } catch (EngineUnavailableException e) {
            error(response, 503, "unavailable", "the shared engine cannot be reached; try again");
        } catch (RuntimeException e) {
            LogLimiter.log(LOG, Level.WARNING, "api call failed", () -> "API call " + request.getMethod() + " "
                    + request.getRequestURI() + " by " + holder.name() + " failed", e);
            error(response, 500, "internal", "the call failed on the server; it is logged");
        }
    }

    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        return request.getHeader("X-API-Key");
    }

    private static void refused(HttpServletRequest request, ApiKeys.Holder holder, String why) {
        LogLimiter.log(LOG, Level.INFO, "api refused", () -> "Refused API call " + request.getMethod() + " "
                + request.getRequestURI() + " from " + request.getRemoteAddr()
                + (holder == null ? "" : " with key " + holder.name()) + ": " + why);
    }

    /** An error answer, JSON. */
    public static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        json(response, status, new Error(code, message));
    }

    /** {@code body} as JSON (JSON-B), with {@code status}. */
    public static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = JsonMessages.toJson(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * The body's bytes, at most {@code maxBytes}; null when over (413 answered). A body at most
     * {@link #DISCARDED_AT_MOST} over is read to its end and dropped first, so the client hears the 413
     * instead of a connection cut while it still sends (Payara's did that); a larger one is not read:
     * the connection closes.
     */
    public static byte[] body(HttpServletRequest request, HttpServletResponse response, long maxBytes) throws IOException {
        long declared = request.getContentLengthLong();
        try (InputStream in = request.getInputStream()) {
            if (declared > maxBytes) {
                tooLarge(in, response, declared - maxBytes, maxBytes);
                return null;
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                tooLarge(in, response, DISCARDED_AT_MOST, maxBytes);
                return null;
            }
            return body;
        }
    }

    /** What a too-large body may still cost the server to read, so that its sender hears why. */
    static final long DISCARDED_AT_MOST = 4L << 20;

    private static void tooLarge(InputStream in, HttpServletResponse response, long over, long maxBytes) throws IOException {
        if (over <= DISCARDED_AT_MOST) {
            long left = DISCARDED_AT_MOST;
            byte[] sink = new byte[8192];
            for (int read; left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= read;
            }
        } else {
            response.setHeader("Connection", "close");
        }
        error(response, 413, "too-large", "the body is over maxMessageBytes (" + maxBytes + " bytes)");
    }

    /** Whether the body's Content-Type is {@code type} (parameters aside); answers 415 if not. */
    public static boolean contentType(HttpServletRequest request, HttpServletResponse response, String... types) throws IOException {
        String given = request.getContentType() == null ? "" : request.getContentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        for (String type : types) {
            if (given.equals(type)) {
                return true;
            }
        }
        error(response, 415, "unsupported-media-type", "send the body as " + String.join(" or ", types));
        return false;
    }

    /** Well-formed UTF-8 as text; null when not (400 answered). */
    public static String utf8(byte[] body, HttpServletResponse response) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            error(response, 400, "invalid-utf8", "the body is not well-formed UTF-8");
            return null;
        }
    }

    /** A JSON object body (Content-Type application/json, strictly parsed); null when refused (415, 413 or 400 answered). */
    public static JsonObject jsonBody(HttpServletRequest request, HttpServletResponse response, long maxBytes) throws IOException {
        if (!contentType(request, response, "application/json")) {
            return null;
        }
        byte[] body = body(request, response, maxBytes);
        String text = body == null ? null : utf8(body, response);
        if (text == null) {
            return null;
        }
        StrictJson.Result parsed = StrictJson.parse(text);
        if (parsed instanceof StrictJson.Refused refused) {
            error(response, 400, refused.code(), refused.message());
            return null;
        }
        if (!(((StrictJson.Parsed) parsed).value() instanceof JsonObject object)) {
            error(response, 400, "invalid-field", "the body must be a JSON object");
            return null;
        }
        return object;
    }
}
