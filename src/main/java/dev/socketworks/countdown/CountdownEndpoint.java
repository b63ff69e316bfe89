package dev.socketworks.countdown;

import dev.socketworks.handshake.HandshakePolicy;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.runtime.Connection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * {@code /countdown}: on open sends {@code from}, {@code from - 1}, ... {@code 1}, one every
 * {@code intervalMs} (10 to 1 every 500 ms by default, as in the Python websockets lecture), then
 * closes with 1000 one interval after the last. Out-of-range parameters close with 1008 and the
 * reason. The timer is cancelled as soon as the client leaves. Incoming messages are ignored.
 */
@ServerEndpoint(value = "/countdown", subprotocols = {"countdown.v1"}, configurator = HandshakePolicy.class)
public class CountdownEndpoint {

    private static final Logger LOG = Logger.getLogger(CountdownEndpoint.class.getName());
    static final CloseReason FINISHED = CloseReasons.of(CloseReason.CloseCodes.NORMAL_CLOSURE, "countdown finished");

    private Connection connection;
    private volatile ScheduledFuture<?> timer;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        CountdownRequest request;
        try {
            request = CountdownRequest.parse(session.getRequestParameterMap());
        } catch (IllegalArgumentException e) {
            connection.outbox().close(CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage()));
            return;
        }
        AtomicInteger next = new AtomicInteger(request.from());
        long interval = request.interval().toMillis();
        // Fixed rate: ticks stay on the interval grid even if one send is slow to start.
        timer = connection.app().scheduling().executor().scheduleAtFixedRate(() -> {
            int value = next.getAndDecrement();
            if (value > 0) {
                connection.outbox().sendText(Integer.toString(value));
            } else {
                connection.outbox().close(FINISHED);
                stopTimer();
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
    }

    /** Input is ignored, but taken in parts like every endpoint's, so no size of it closes the session. */
    @OnMessage
    public void onText(String ignoredPart, boolean last) {
        if (connection != null) {
            connection.heard();
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        stopTimer();
        if (connection != null) {
            connection.closed(reason);
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }

    private void stopTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
