package dev.socketworks.totals;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Subscriber;
import dev.socketworks.inbound.MessageTooLargeException;
import dev.socketworks.inbound.TextAssembler;
import dev.socketworks.json.ErrorMessage;
import dev.socketworks.json.JsonMessages;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.Outbox;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;
import java.util.logging.Logger;

/**
 * {@code /totals}: producers send numbers, everyone sees the running total (the Python websockets
 * lecture's consumer/producer example). Text mode (subprotocol {@code totals.text} or none): "5"
 * adds 5, every client receives "Current total is N"; anything else gets "error: cannot process
 * input", to the sender only. JSON mode ({@code totals.json}): {"add": 5} gives
 * {"type":"total","total":N,"seq":k}, errors as {"type":"error","payload":{"code","message"}}.
 * A new client first receives the current total.
 */
@ServerEndpoint(value = "/totals", subprotocols = {"totals.text", "totals.json"}, configurator = HandshakePolicy.class)
public class TotalsEndpoint {

    private static final Logger LOG = Logger.getLogger(TotalsEndpoint.class.getName());

    private Connection connection;
    private RunningTotal total;
    private Hub.Subscription subscription;
    private TextAssembler text;
    private boolean json;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        json = "totals.json".equals(session.getNegotiatedSubprotocol());
        text = new TextAssembler(connection.settings().maxMessageBytes());
        total = connection.app().service(RunningTotal.class, app -> new RunningTotal(app.hub()));
        Outbox outbox = connection.outbox();
        boolean jsonMode = json;
        subscription = total.join(new Subscriber() {
            @Override
            public void text(String wire) {
                RunningTotal.Change change = RunningTotal.Change.fromWire(wire);
                outbox.enqueueText(jsonMode
                        ? JsonMessages.toJson(new TotalMessage(change.total(), change.seq()))
                        : "Current total is " + change.total());
            }

            @Override
            public void binary(ByteBuffer data) {
                // the totals topic carries text only
            }

            @Override
            public void flush() {
                outbox.flush();
            }
        });
    }

    @OnMessage
    public void onText(String part, boolean last) {
        if (connection == null) {
            return;
        }
        connection.heard();
        String message;
        try {
            message = text.append(part, last);
        } catch (MessageTooLargeException e) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.TOO_BIG, e.getMessage()));
            return;
        }
        if (message == null) {
            return;
        }
        TotalsInput.Parsed parsed = json ? TotalsInput.json(message) : TotalsInput.text(message);
        if (parsed.isError()) {
            error(parsed.errorCode(), parsed.errorMessage());
        } else if (total.add(parsed.amount()) instanceof RunningTotal.Overflow) {
            error("overflow", "the total would overflow 64 bits; it is unchanged");
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer ignored, boolean last) {
        if (connection != null && last) {
            connection.heard();
            error("binary-not-supported", "send numbers as text");
        }
    }

    private void error(String code, String message) {
        connection.outbox().sendText(json ? ErrorMessage.json(code, message) : "error: " + message);
    }

    @OnClose
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (connection != null) {
            connection.closed();
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
