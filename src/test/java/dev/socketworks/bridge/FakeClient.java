package dev.socketworks.bridge;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session whose sends complete at once, or never (a client that stopped reading). */
final class FakeClient {
    final List<Object> received = new CopyOnWriteArrayList<>();
    volatile boolean reading = true;
    volatile CloseReason closedWith;
    /** Completes with the reason the session was closed with. */
    final java.util.concurrent.CompletableFuture<CloseReason> closed = new java.util.concurrent.CompletableFuture<>();
    /** Completes with the first message sent to this client. */
    final java.util.concurrent.CompletableFuture<Object> firstMessage = new java.util.concurrent.CompletableFuture<>();

    final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{Session.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getId" -> "test";
                case "isOpen" -> closedWith == null;
                case "getAsyncRemote" -> remote();
                case "close" -> {
                    closedWith = (CloseReason) args[0];
                    closed.complete(closedWith);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private RemoteEndpoint.Async remote() {
        return (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendPing")) {
                        return null;
                    }
                    Object data = args[0] instanceof ByteBuffer b ? copy(b) : args[0];
                    received.add(data);
                    firstMessage.complete(data);
                    if (reading) {
                        ((SendHandler) args[1]).onResult(new SendResult());
                    }
                    return null;
                });
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
