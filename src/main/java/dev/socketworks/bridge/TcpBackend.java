package dev.socketworks.bridge;

import dev.socketworks.logging.LogLimiter;
import dev.socketworks.outbox.CloseReasons;
import dev.socketworks.outbox.Outbox;
import jakarta.websocket.CloseReason;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One TCP connection per client, as websocketd does with {@code nc host port}: several clients can
 * then share one service (the talk's netcat chat), with nothing spawned. The service closing the
 * connection closes the client with 1000 once everything it sent has been delivered.
 */
final class TcpBackend implements Backend {

    private static final Logger LOG = Logger.getLogger(TcpBackend.class.getName());

    private final Route route;
    private final Route.Tcp service;
    private final String who; // "run/<route> session <id>", how every log line about this client begins
    private final Socket socket;
    private final OutputStream out;

    private TcpBackend(Route route, Route.Tcp service, String client, Socket socket) throws IOException {
        this.route = route;
        this.service = service;
        this.who = route.logContext(client);
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /**
     * Connects (blocking at most {@code connectTimeout}) and starts relaying.
     *
     * @param ended runs once the connection is closed (frees the route's slot)
     */
    static TcpBackend connect(Route route, Route.Tcp service, String client, Outbox outbox, Duration connectTimeout,
                              long maxLineBytes, Runnable ended) throws IOException {
        Socket socket = new Socket();
        TcpBackend relay;
        try {
            socket.connect(new InetSocketAddress(service.host(), service.port()), Math.toIntExact(connectTimeout.toMillis()));
            socket.setTcpNoDelay(true); // messages are small and interactive
            relay = new TcpBackend(route, service, client, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        Threads.start("socketworks-run-" + route.name() + "-tcp-" + client.split(" \\(")[0].replace(" ", "-"), () -> relay.pump(outbox, maxLineBytes, ended));
        return relay;
    }

    private void pump(Outbox outbox, long maxLineBytes, Runnable ended) {
        try {
            OutputPump.End end = OutputPump.pump(socket.getInputStream(), route.mode(), outbox, maxLineBytes);
            if (end == OutputPump.End.LINE_TOO_LONG) {
                outbox.close(CloseReasons.of(CloseReason.CloseCodes.UNEXPECTED_CONDITION,
                        "service sent a line over " + maxLineBytes + " bytes"));
            } else if (end == OutputPump.End.END_OF_OUTPUT) {
                outbox.closeWhenSent(CloseReasons.of(CloseReason.CloseCodes.NORMAL_CLOSURE, "service closed the connection"));
            }
        } catch (IOException e) {
            if (!socket.isClosed()) { // closed by us when the client left: not a failure
                LogLimiter.log(LOG, Level.INFO, "service connection failed", () -> who + ": connection to " + service.describe() + " failed: " + e);
                outbox.close(CloseReasons.of(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "connection to service lost"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeSocket();
            ended.run();
        }
    }

    @Override
    public void send(byte[] data) throws IOException {
        Backend.write(out, data, route.mode());
    }

    @Override
    public void clientLeft() {
        closeSocket();
    }

    @Override
    public CompletableFuture<Void> stop() {
        closeSocket();
        return CompletableFuture.completedFuture(null);
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, who + ": closing the connection to " + service.describe(), e);
        }
    }
}
