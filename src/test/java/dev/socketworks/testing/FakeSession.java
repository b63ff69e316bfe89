package dev.socketworks.testing;

import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container's Session for unit tests: it records what is sent, completes asynchronous sends when
 * the test chooses ({@link Completion}), and notes whether two sends were ever in flight at once
 * (what a real container rejects with IllegalStateException).
 */
@SuppressWarnings("unchecked") // the pong handler, checked by its type argument
public final class FakeSession {

    public enum Completion {
        /** A send stays in flight until {@link #completeOne()} or {@link #failOne()}. */
        MANUAL,
        /** A send completes inside the send call, as Undertow does when the socket has room. */
        INSTANT,
        /** A send never completes: a client that stopped reading. */
        NEVER
    }

    /** Everything handed to the container, pings included (as ByteBuffer), in order. */
    public final List<Object> sent = Collections.synchronizedList(new ArrayList<>());
    /** The data messages a client would read: texts as String, binary as a byte[] copy. */
    public final List<Object> received = Collections.synchronizedList(new ArrayList<>());
    public final List<SendHandler> inFlight = Collections.synchronizedList(new ArrayList<>());
    public volatile Completion completion;
    public volatile CloseReason closedWith;
    public volatile boolean concurrentSendSeen;
    /** Completes with the reason the session was closed with. */
    public final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    /** Completes with the first data message sent. */
    public final CompletableFuture<Object> firstMessage = new CompletableFuture<>();
    /** When set, every send call blocks until it opens: a container stuck writing to a full socket. */
    public volatile CountDownLatch sendsBlockedUntil;
    /** Counts send calls as they are entered (before any blocking). */
    public final AtomicInteger sendCalls = new AtomicInteger();
    private final String id;
    private volatile MessageHandler.Whole<PongMessage> pongHandler;

    public final Session session;

    public FakeSession() {
        this("fake", Completion.MANUAL);
    }

    public FakeSession(String id, Completion completion) {
        this.id = id;
        this.completion = completion;
        this.session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Session.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> this.id;
                    case "isOpen" -> closedWith == null;
                    case "getAsyncRemote" -> async();
                    case "addMessageHandler" -> {
                        if (args.length == 2 && args[0] == PongMessage.class) {
                            pongHandler = (MessageHandler.Whole<PongMessage>) args[1];
                        }
                        yield null;
                    }
                    case "close" -> {
                        closedWith = args == null ? null : (CloseReason) args[0];
                        closed.complete(closedWith);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeSession " + this.id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A client that reads everything at once. */
    public static FakeSession reading() {
        return new FakeSession("test", Completion.INSTANT);
    }

    private RemoteEndpoint.Async async() {
        return (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendPing")) {
                        if (!inFlight.isEmpty()) {
                            concurrentSendSeen = true;
                        }
                        sent.add(args[0]); // blocking call: complete on return, nothing stays in flight
                        return null;
                    }
                    if (method.getName().startsWith("send") && args.length == 2 && args[1] instanceof SendHandler h) {
                        sendCalls.incrementAndGet();
                        blockIfAsked();
                        if (!inFlight.isEmpty()) {
                            concurrentSendSeen = true;
                        }
                        sent.add(args[0]);
                        Object data = args[0] instanceof ByteBuffer b ? copy(b) : args[0];
                        received.add(data);
                        firstMessage.complete(data);
                        switch (completion) {
                            case INSTANT -> h.onResult(new SendResult());
                            case MANUAL -> inFlight.add(h);
                            case NEVER -> { }
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private void blockIfAsked() throws InterruptedException {
        CountDownLatch gate = sendsBlockedUntil;
        if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("a send was blocked for 30 s and never released");
        }
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    /** Completes the oldest in-flight send, which may start the next one. */
    public void completeOne() {
        inFlight.remove(0).onResult(new SendResult());
    }

    public void failOne() {
        failOne(new java.io.IOException("broken pipe"));
    }

    public void failOne(Throwable error) {
        inFlight.remove(0).onResult(new SendResult(error));
    }

    /** The client answers a ping: the pong goes to the handler the server installed, as a container does. */
    public void pong(ByteBuffer data) {
        MessageHandler.Whole<PongMessage> handler = pongHandler;
        if (handler == null) {
            throw new AssertionError("no pong handler was installed");
        }
        handler.onMessage(() -> data);
    }

    /** The texts received, in order. */
    public List<String> texts() {
        synchronized (received) {
            return received.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
    }
}
