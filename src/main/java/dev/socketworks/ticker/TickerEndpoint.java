package dev.socketworks.ticker;

import dev.socketworks.handshake.HandshakePolicy;
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
import java.util.logging.Logger;

/**
 * {@code /ticker}: the Python websockets lecture's "broadcasting to all clients" example. The server
 * sends {@code tickerMessage} ("Hello!") every {@code tickerIntervalMs} (3 s) to every connected
 * client, from one timer per deployment (one for all servers sharing an engine). It reads nothing:
 * a message from a client gets {@code error: /ticker only sends}.
 */
@ServerEndpoint(value = "/ticker", subprotocols = {"ticker.v1"}, configurator = HandshakePolicy.class)
public class TickerEndpoint {

    private static final Logger LOG = Logger.getLogger(TickerEndpoint.class.getName());

    private Connection connection;
    private Ticker ticker;

    @OnOpen
    public void open(Session session) {
        connection = Connection.open(session);
        if (connection == null) {
            return;
        }
        ticker = connection.app().service(Ticker.class, app -> new Ticker(app.hub(), app.engineWork(),
                app.settings().tickerMessage(), app.settings().tickerInterval()));
        if (connection.keep(() -> connection.app().hub().subscribe(Ticker.TOPIC, OutboxSubscriber.verbatim(connection.outbox())))) {
            ticker.clientArrived();
        } else {
            ticker = null; // closed with 1013: it never counted
        }
    }

    @OnMessage
    public void onText(String part, boolean last) {
        if (connection != null && connection.text(part, last) != null) {
            connection.outbox().sendText("error: /ticker only sends");
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer part, boolean last) {
        if (connection != null && connection.binary(part, last) != null) {
            connection.outbox().sendText("error: /ticker only sends");
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.closed(reason);
            Ticker leaving = ticker;
            ticker = null; // counted out once, however often the container reports the close
            if (leaving != null) {
                leaving.clientLeft();
            }
        }
    }

    @OnError
    public void onError(Session session, Throwable error) {
        Connection.logError(LOG, session, error);
    }
}
