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
    protected abstract void call(HttpServletRequest request, HttpServletResponse response, AppContext app)
            throws IOException, InterruptedException;

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AppContext app = AppContext.running(getServletContext());
        try {
            answer(request, response, app);
            discardUnreadBody(request);
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
        } catch (ServerControl.BusyException e) {
            response.setHeader("Retry-After", "1");
            error(response, 503, "busy", "too many calls to every server at once; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(response, 503, "unavailable", "the server is stopping");
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
        // Committed now: Payara Micro once failed in its end-of-request bookkeeping (a Grizzly NPE on a
        // connection it had let go) and replaced an uncommitted answer with its HTML error page.
        response.flushBuffer();
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

    /**
     * Reads to its end and drops a body the answer did not need (a refusal before the call read it),
     * at most {@link #DISCARDED_AT_MOST}: Jetty closes a connection whose request body was left
     * unread, without a word, and the client's next request on it fails. Cheap when the body was read.
     */
    private static void discardUnreadBody(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared == 0 || declared > DISCARDED_AT_MOST || (declared < 0 && request.getHeader("Transfer-Encoding") == null)) {
            return; // nothing to read, or too much to be worth keeping the connection for
        }
        try {
            discard(request.getInputStream());
        } catch (IOException | IllegalStateException alreadyReadOrGone) {
            // Read and closed by the call, or the client went away: nothing left to keep the connection from.
        }
    }

    /** Reads and drops the rest of a body, at most {@link #DISCARDED_AT_MOST} bytes. */
    private static void discard(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DISCARDED_AT_MOST;
        for (int read; left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
            left -= read;
        }
    }

    /** What a too-large body may still cost the server to read, so that its sender hears why. */
    static final long DISCARDED_AT_MOST = 4L << 20;

    private static void tooLarge(InputStream in, HttpServletResponse response, long over, long maxBytes) throws IOException {
        if (over <= DISCARDED_AT_MOST) {
            discard(in);
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

    /** As {@link #jsonBody}, where the body may be left out: an empty object then. */
    public static JsonObject optionalJsonBody(HttpServletRequest request, HttpServletResponse response, long maxBytes) throws IOException {
        if (request.getContentType() == null && request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return jakarta.json.JsonValue.EMPTY_JSON_OBJECT;
        }
        return jsonBody(request, response, maxBytes);
    }

    /**
     * A query parameter as a whole number from {@code min} to {@code max}; {@code absent} when not
     * given; null when it is anything else (the caller answers 400).
     */
    public static Integer wholeNumber(String text, int absent, int min, int max) {
        if (text == null) {
            return absent;
        }
        if (!text.matches("[0-9]{1,9}")) {
            return null;
        }
        int n = Integer.parseInt(text);
        return n >= min && n <= max ? n : null;
    }

    /** How a call closes connections: a close code and a reason, checked as a close frame needs them. */
    public record CloseRequest(int code, String reason) {
    }

    /**
     * {@code {"code": 4000, "reason": "..."}} from {@code body}, both optional; null when invalid (400
     * answered). Codes a server may send: 1000, 1001, 1008, 1011, 1012, 1013 and 3000-4999; a reason
     * is at most 123 bytes of UTF-8, as a close frame holds.
     */
    public static CloseRequest closeRequest(JsonObject body, CloseRequest defaults, HttpServletResponse response) throws IOException {
        for (String name : body.keySet()) {
            if (!name.equals("code") && !name.equals("reason")) {
                error(response, 400, "invalid-field", "unknown field " + JsonMessages.toJson(name) + "; send {\"code\": n, \"reason\": \"...\"}");
                return null;
            }
        }
        int code = defaults.code();
        if (body.containsKey("code")) {
            if (!(body.get("code") instanceof jakarta.json.JsonNumber number) || !number.isIntegral()
                    || !SENDABLE_CLOSE_CODE.test(number.bigIntegerValue().max(java.math.BigInteger.ZERO).min(java.math.BigInteger.valueOf(99_999)).intValue())) {
                error(response, 400, "invalid-field", "code must be 1000, 1001, 1008, 1011, 1012, 1013 or 3000-4999");
                return null;
            }
            code = number.intValue();
        }
        String reason = defaults.reason();
        if (body.containsKey("reason")) {
            if (!(body.get("reason") instanceof jakarta.json.JsonString text)
                    || text.getString().getBytes(StandardCharsets.UTF_8).length > 123) {
                error(response, 400, "invalid-field", "reason must be a string of at most 123 bytes (UTF-8), as a close frame holds");
                return null;
            }
            reason = text.getString();
        }
        return new CloseRequest(code, reason);
    }

    private static final java.util.function.IntPredicate SENDABLE_CLOSE_CODE = code ->
            code == 1000 || code == 1001 || code == 1008 || code == 1011 || code == 1012 || code == 1013 || (code >= 3000 && code <= 4999);

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
