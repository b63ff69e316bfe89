package dev.socketworks.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A load-generating client on the JDK's own {@link WebSocket}: no extra threads per connection (one
 * selector for all), whole messages handed to a {@link Handler}, sends chained so at most one is
 * outstanding (the JDK refuses a second), and reading either unlimited or paused for the
 * slow-consumer scenario.
 */
final class WsClient implements WebSocket.Listener {

    interface Handler {
        void text(WsClient client, String message);

        default void binary(WsClient client, byte[] message) {
        }
    }

    /** One client for the whole run: the JDK multiplexes every connection over one selector thread. */
    static final HttpClient HTTP = httpClient("bench-ws");

    /**
     * The hostile scenario's attackers' own client: with the members' one selector thread, their floods
     * delayed what the members read, so the load generator measured itself rather than the server.
     */
    static final HttpClient ATTACK_HTTP = httpClient("bench-attack-ws");

    private static HttpClient httpClient(String threadName) {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(2, runnable -> {
                    Thread thread = new Thread(runnable, threadName);
                    thread.setDaemon(true);
                    return thread;
                }))
                .build();
    }

    private final Handler handler;
    private final boolean reading;
    private final StringBuilder textParts = new StringBuilder();
    private ByteBuffer binaryParts = ByteBuffer.allocate(0);
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile WebSocket socket;
    private CompletableFuture<WebSocket> sendChain;
    private volatile String closeReason = "";

    private WsClient(Handler handler, boolean reading) {
        this.handler = handler;
        this.reading = reading;
    }

    static CompletableFuture<WsClient> connect(URI uri, String subprotocol, boolean reading, Handler handler) {
        return connectOffering(uri, subprotocol == null ? List.of() : List.of(subprotocol), reading, handler);
    }

    /**
     * As {@link #connect}, as if from {@code clientAddress}: the hostile scenario's server trusts 127.0.0.1
     * as a proxy, so X-Forwarded-For gives each member, probe and the attacker an address of its own.
     */
    static CompletableFuture<WsClient> connectFrom(String clientAddress, URI uri, List<String> subprotocols, boolean reading,
                                                   Handler handler) {
        return connectFrom(HTTP, clientAddress, uri, subprotocols, reading, handler);
    }

    /** As above, on {@code http} ({@link #ATTACK_HTTP} for attackers). */
    static CompletableFuture<WsClient> connectFrom(HttpClient http, String clientAddress, URI uri, List<String> subprotocols,
                                                   boolean reading, Handler handler) {
        WsClient client = new WsClient(handler, reading);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", clientAddress);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        return builder.buildAsync(uri, client).thenApply(socket -> client);
    }

    /** Offering every one of {@code subprotocols}, in order (the hostile scenario's fat upgrade requests offer a thousand). */
    static CompletableFuture<WsClient> connectOffering(URI uri, List<String> subprotocols, boolean reading, Handler handler) {
        WsClient client = new WsClient(handler, reading);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        return builder.buildAsync(uri, client).thenApply(socket -> client);
    }

    static WsClient open(URI uri, Handler handler) {
        return connect(uri, null, true, handler).orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        synchronized (this) {
            sendChain = CompletableFuture.completedFuture(webSocket);
        }
        if (reading) {
            webSocket.request(Long.MAX_VALUE);
        }
    }

    /** A paused client starts reading again (and so learns how the server ended it). */
    void resumeReading() {
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last && textParts.isEmpty()) {
            handler.text(this, data.toString());
        } else {
            textParts.append(data);
            if (last) {
                String message = textParts.toString();
                textParts.setLength(0);
                handler.text(this, message);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ByteBuffer joined = ByteBuffer.allocate(binaryParts.remaining() + data.remaining());
        joined.put(binaryParts).put(data).flip();
        if (last) {
            binaryParts = ByteBuffer.allocate(0);
            byte[] message = new byte[joined.remaining()];
            joined.get(message);
            handler.binary(this, message);
        } else {
            binaryParts = joined;
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeReason = String.valueOf(error);
        closed.complete(1006);
    }

    synchronized CompletableFuture<WebSocket> sendText(String message) {
        sendChain = sendChain.thenCompose(ws -> ws.sendText(message, true));
        return sendChain;
    }

    synchronized CompletableFuture<WebSocket> sendBinary(byte[] message) {
        sendChain = sendChain.thenCompose(ws -> ws.sendBinary(ByteBuffer.wrap(message), true));
        return sendChain;
    }

    /** Closes cleanly and waits for the server's close frame (bounded). */
    void close() {
        CompletableFuture<WebSocket> sent;
        synchronized (this) {
            sendChain = sendChain.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            sent = sendChain;
        }
        try {
            sent.get(10, TimeUnit.SECONDS);
            closed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    CompletableFuture<Integer> closedFuture() {
        return closed;
    }

    String closeReason() {
        return closeReason;
    }
}
