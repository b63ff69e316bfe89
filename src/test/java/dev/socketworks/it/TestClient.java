package dev.socketworks.it;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.core.HandshakeException;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Tyrus client session for tests: received messages land in a queue, the close reason in a future,
 * and every wait has a deadline so a broken server fails the test instead of hanging it.
 */
final class TestClient extends Endpoint implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final java.util.concurrent.CountDownLatch handlersReady = new java.util.concurrent.CountDownLatch(1);
    private volatile Session session;

    /** Connects with no Origin header (a non-browser client) and no subprotocol. */
    static TestClient connect(ClientManager client, URI uri) throws DeploymentException, IOException {
        return connect(client, uri, null, List.of());
    }

    static TestClient connect(ClientManager client, URI uri, String origin, List<String> subprotocols)
            throws DeploymentException, IOException {
        return connectWithHeaders(client, uri, origin == null ? Map.of() : Map.of("Origin", List.of(origin)), subprotocols);
    }

    /** Connects sending exactly these extra headers (an Origin among them, or none). */
    static TestClient connectWithHeaders(ClientManager client, URI uri, Map<String, List<String>> extraHeaders,
                              List<String> subprotocols) throws DeploymentException, IOException {
        TestClient endpoint = new TestClient();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(subprotocols)
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.keySet().removeIf(name -> name.equalsIgnoreCase("Origin"));
                        headers.putAll(extraHeaders);
                    }
                })
                .build();
        connectToServer(client, endpoint, config, uri);
        // Tyrus may return from connectToServer before onOpen has registered the message handlers;
        // a message arriving in between would be dropped for want of a handler.
        try {
            if (!endpoint.handlersReady.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("onOpen did not complete within " + DEADLINE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return endpoint;
    }

    /**
     * Connects, trying again once when the Tyrus client itself fails before any HTTP exchange: its
     * Grizzly transport can hand back a connection that is null (an NPE in GrizzlyClientSocket.connect,
     * seen once on Liberty after a run of refused handshakes). Any answer from the server, a refusal
     * included, is final; a server that refuses the TCP connection fails the second try as well.
     */
    private static void connectToServer(ClientManager client, TestClient endpoint, ClientEndpointConfig config, URI uri)
            throws DeploymentException, IOException {
        try {
            client.connectToServer(endpoint, config, uri);
        } catch (DeploymentException e) {
            int payaraStatus = payaraBrokenRequestStatus(e);
            if (payaraStatus > 0) {
                // Payara's open bug 5432 (compatibility.md): after a server-side close, Grizzly's next pooled
                // request can be answered with a status Socketworks never gives a handshake.
                System.out.println("TestClient: Payara answered the handshake to " + uri + " with HTTP " + payaraStatus
                        + " (its bug 5432); trying once more");
                client.connectToServer(endpoint, config, uri);
                return;
            }
            if (!clientTransportFault(e)) {
                throw e;
            }
            java.util.logging.Logger.getLogger(TestClient.class.getName())
                    .warning("Tyrus client transport fault connecting to " + uri + ", trying once more: " + e.getMessage());
            client.connectToServer(endpoint, config, uri);
        }
    }

    /** On Payara, the status of a handshake answered 200 or 3xx (never Socketworks' answer); 0 otherwise. */
    private static int payaraBrokenRequestStatus(Throwable error) {
        if (!ContainerSuite.container().equals("payara")) {
            return 0;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HandshakeException handshake) {
                int status = handshake.getHttpStatusCode();
                return status == 200 || (status >= 300 && status < 400) ? status : 0;
            }
        }
        return 0;
    }

    private static boolean clientTransportFault(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HandshakeException) {
                return false;
            }
        }
        return error.getStackTrace().length > 0
                && error.getStackTrace()[0].getClassName().contains("tyrus.client.exception")
                && error.getMessage() != null && error.getMessage().contains("\"connection\" is null");
    }

    /** The HTTP status of a refused handshake, or fails if the handshake succeeded. */
    static int refusedStatus(ClientManager client, URI uri, String origin) throws IOException {
        return refusedStatus(client, uri, origin == null ? Map.of() : Map.of("Origin", List.of(origin)));
    }

    /** As {@link #refusedStatus(ClientManager, URI, String)}, sending exactly these extra headers. */
    static int refusedStatus(ClientManager client, URI uri, Map<String, List<String>> headers) throws IOException {
        try (TestClient ignored = connectWithHeaders(client, uri, headers, List.of())) {
            throw new AssertionError("handshake with " + headers + " was accepted");
        } catch (DeploymentException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof HandshakeException handshake) {
                    return handshake.getHttpStatusCode();
                }
            }
            throw new AssertionError("handshake failed without an HTTP status", e);
        }
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxTextMessageBufferSize(8 << 20);
        session.setMaxBinaryMessageBufferSize(8 << 20);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) received::add);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) data -> {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            received.add(copy);
        });
        handlersReady.countDown();
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        closed.complete(reason);
    }

    @Override
    public void onError(Session session, Throwable error) {
        closed.completeExceptionally(error);
    }

    Session session() {
        return session;
    }

    /** Whether the session has closed (the close reason is then available at once). */
    boolean isClosed() {
        return closed.isDone();
    }

    /**
     * Sends a message the server is expected to refuse by closing. The server may close before the
     * whole message is written, so the send itself may fail (IOException, or the client library
     * reporting its closed session); only the close, checked by the caller, is the outcome.
     */
    void sendExpectingClose(Object message) {
        try {
            if (message instanceof String text) {
                session.getBasicRemote().sendText(text);
            } else {
                session.getBasicRemote().sendBinary((ByteBuffer) message);
            }
        } catch (IOException | RuntimeException closedFirst) { // Tyrus: IllegalStateException, RuntimeException "Socket is not connected"
            java.util.logging.Logger.getLogger(TestClient.class.getName())
                    .fine("the server closed before the send finished: " + closedFirst);
        }
    }

    String nextText() throws InterruptedException {
        return nextText(DEADLINE);
    }

    /** The next message if one comes within {@code wait}, else null. */
    Object poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    String nextText(Duration deadline) throws InterruptedException {
        Object message = received.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + deadline);
        }
        if (message instanceof String text) {
            return text;
        }
        throw new AssertionError("expected a text message, got " + message);
    }

    /** The next text message, or null if the session closes before one arrives. */
    String nextTextOrClose() throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Object message = received.poll(50, TimeUnit.MILLISECONDS);
            if (message instanceof String text) {
                return text;
            }
            if (message != null) {
                throw new AssertionError("expected a text message, got " + message);
            }
            if (closed.isDone() && received.isEmpty()) {
                return null;
            }
        }
        throw new AssertionError("neither a message nor a close within " + DEADLINE);
    }

    ByteBuffer nextBinary() throws InterruptedException {
        Object message = next();
        if (message instanceof ByteBuffer data) {
            return data;
        }
        throw new AssertionError("expected a binary message, got " + message);
    }

    private Object next() throws InterruptedException {
        Object message = received.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + DEADLINE);
        }
        return message;
    }

    CloseReason awaitClose() throws InterruptedException, ExecutionException {
        try {
            return closed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("session not closed within " + DEADLINE, e);
        }
    }

    @Override
    public void close() throws IOException {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
    }
}
