package dev.socketworks.totals;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.hub.CounterChange;
import dev.socketworks.hub.Message;
import dev.socketworks.json.ErrorMessage;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.json.TokenNotices;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.OutboxSubscriber;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * {@code /totals}: producers send numbers, everyone sees the running total (the Python websockets
 * lecture's consumer/producer example). Text mode (subprotocol {@code totals.text} or none): "5"
 * adds 5, every client receives "Current total is N"; anything else gets "error: cannot process
 * input", to the sender only. JSON mode ({@code totals.json}): {"add": 5} gives
 * {"type":"total","total":N,"seq":k}, errors as {"type":"error","payload":{"code","message"}}; a
 * signed-in client refreshes its token in-band as in chat ({"type":"refresh","payload":{"token":"..."}}).
 * A new client first receives the current total. When the shared engine is unreachable an addition
 * gets "error: service unavailable" (JSON code {@code unavailable}) and changes nothing; a client
 * connecting then is closed with 1013.
 */
@ServerEndpoint(value = "/totals", subprotocols = {"totals.text", "totals.json"}, configurator = HandshakePolicy.class)
public class TotalsEndpoint {

    private static final Logger LOG = Logger.getLogger(TotalsEndpoint.class.getName());

    private Connection connection;
    private RunningTotal total;
    private RunningTotal.Producer producer;
    private boolean json;
    private boolean reading;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        json = "totals.json".equals(session.getNegotiatedSubprotocol());
        if (json) {
            connection.replyWhenRateLimited(() -> error("rate-limited",
                    "too many messages: this one was dropped; slow down or be disconnected"));
        }
        total = connection.app().service(RunningTotal.class, app -> new RunningTotal(app.hub()));
        producer = total.producer(connection.settings().totalsAdditionsInFlight(), connection.settings().engineTimeout());
        reading = connection.may("totals:read");
        if (reading) { // a producer with totals:add only is sent nothing but its errors
            connection.keep(() -> total.join(new OutboxSubscriber(connection.outbox(), json ? AS_JSON : AS_TEXT)));
        }
        if (json && !connection.identity().isGuest()) {
            connection.whenTokenExpiring(() -> connection.outbox().sendText(TokenNotices.expiring(connection.identity().expiresAt())));
        }
    }

    // Rendered once per change for all subscribers of a mode; a counter's text is its decimal value.
    private static final Function<Message, List<String>> AS_TEXT = OutboxSubscriber.oncePerMessage(
            change -> List.of("Current total is " + change.text()));
    private static final Function<Message, List<String>> AS_JSON = OutboxSubscriber.oncePerMessage(
            change -> List.of(JsonMessages.toJson(new TotalMessage(Long.parseLong(change.text()), change.offset()))));

    @OnMessage
    public void onText(String part, boolean last) {
        String message = connection == null ? null : connection.text(part, last);
        if (message == null) {
            return;
        }
        TotalsInput.Parsed parsed = json ? TotalsInput.json(message) : TotalsInput.text(message);
        if (parsed.refreshToken() != null) {
            refresh(parsed.refreshToken());
            return;
        }
        if (!connection.may("totals:add")) {
            error("forbidden", "adding to the total needs the right totals:add");
            return;
        }
        if (parsed.isError()) {
            error(parsed.errorCode(), parsed.errorMessage());
            return;
        }
        try {
            boolean taken = producer.add(parsed.amount(), (change, failure) -> {
                if (failure != null) {
                    error("unavailable", "service unavailable");
                } else if (change instanceof CounterChange.Overflow) {
                    error("overflow", "the total would overflow 64 bits; it is unchanged");
                }
            });
            if (!taken) {
                error("unavailable", "service unavailable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An in-band refresh (JSON mode): the new token's exp and rights apply at once; a bad one changes nothing. */
    private void refresh(String token) {
        String refused = connection.refresh(token);
        if (refused != null) {
            error("invalid-token", refused + "; the connection keeps its token until it expires");
        } else if (reading ? !connection.may("totals:read") : !connection.may("totals:add")) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY,
                    "forbidden: the new token no longer gives " + (reading ? "totals:read" : "totals:add")));
        } else {
            connection.outbox().sendText(TokenNotices.refreshed(connection.identity().expiresAt()));
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        if (connection != null && connection.binary(part, last) != null) {
            error("binary-not-supported", "send numbers as text");
        }
    }

    private void error(String code, String message) {
        connection.outbox().sendText(json ? ErrorMessage.json(code, message) : "error: " + message);
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.closed(reason);
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
