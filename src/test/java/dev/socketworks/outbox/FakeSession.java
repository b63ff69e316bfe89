package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A Session whose asynchronous sends complete only when the test says so, recording whether two
 * sends were ever in flight at once (what a real container rejects with IllegalStateException).
 */
final class FakeSession {

    final List<Object> sent = new ArrayList<>();
    final List<SendHandler> inFlight = new ArrayList<>();
    CloseReason closedWith;
    boolean concurrentSendSeen;
    /** When set, sends complete inside the send call, as Undertow does when the socket has room. */
    boolean completeInline;

    final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{Session.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getId" -> "fake";
                case "isOpen" -> closedWith == null;
                case "getAsyncRemote" -> async();
                case "close" -> {
                    closedWith = args == null ? null : (CloseReason) args[0];
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });

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
                        if (!inFlight.isEmpty()) {
                            concurrentSendSeen = true;
                        }
                        sent.add(args[0]);
                        if (completeInline) {
                            h.onResult(new SendResult());
                        } else {
                            inFlight.add(h);
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Completes the oldest in-flight send, which may start the next one. */
    void completeOne() {
        inFlight.remove(0).onResult(new SendResult());
    }

    void failOne() {
        failOne(new java.io.IOException("broken pipe"));
    }

    void failOne(Throwable error) {
        inFlight.remove(0).onResult(new SendResult(error));
    }
}
