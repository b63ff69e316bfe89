package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only way a message leaves for a client. One asynchronous send is in flight at a time, so the
 * container's "one message at a time" rule (the TEXT_FULL_WRITING IllegalStateException) cannot be
 * broken, whatever threads call in. Messages waiting behind it are bounded in count and bytes; a
 * client that falls further behind is closed with 1008 "slow consumer" and its queue dropped, so it
 * costs nobody else time or memory.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    static final CloseReason SLOW_CONSUMER = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "slow consumer");

    private sealed interface Message permits Text, Binary, Ping {
        long bytes();
    }

    private record Text(String text, long bytes) implements Message {
    }

    private record Binary(ByteBuffer data, long bytes) implements Message {
    }

    private record Ping(ByteBuffer data) implements Message {
        public long bytes() {
            return 0;
        }
    }

    private final Session session;
    private final int maxQueuedMessages;
    private final long maxQueuedBytes;
    private final Executor closer;

    // Guarded by this. The lock is never held while calling into the container.
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private boolean closed;
    private CloseReason closeAfterSend;
    // Trampoline state. Containers may complete a send inside the send call (Undertow does when the
    // socket has room); starting the next send from that callback would recurse once per queued
    // message and overflow the stack. An inline completion instead hands the next message back to
    // the loop in transmit() on the same thread.
    private Thread transmittingThread;
    private Thread completedInlineOn;
    private Message nextAfterInline;

    /** An outbox that closes slow consumers on the calling thread (tests, single-client services). */
    public Outbox(Session session, int maxQueuedMessages, long maxQueuedBytes) {
        this(session, maxQueuedMessages, maxQueuedBytes, Runnable::run);
    }

    /**
     * @param closer runs the slow-consumer close: closing a session whose writes are stuck can block
     *               for the container's send timeout, and the caller may be fanning out to a whole room
     */
    public Outbox(Session session, int maxQueuedMessages, long maxQueuedBytes, Executor closer) {
        this.session = session;
        this.maxQueuedMessages = maxQueuedMessages;
        this.maxQueuedBytes = maxQueuedBytes;
        this.closer = closer;
    }

    public Session session() {
        return session;
    }

    public void sendText(String text) {
        enqueueText(text);
        flush();
    }

    /** Sends the buffer's remaining bytes; the caller must not modify it afterwards. */
    public void sendBinary(ByteBuffer data) {
        enqueueBinary(data);
        flush();
    }

    /** Queues without starting a send: for fan-out under a lock, followed by {@link #flush()} outside it. */
    public void enqueueText(String text) {
        enqueue(new Text(text, text.getBytes(StandardCharsets.UTF_8).length));
    }

    public void enqueueBinary(ByteBuffer data) {
        enqueue(new Binary(data, data.remaining()));
    }

    /** A ping, sent in turn with data messages so a control frame never races a data frame. */
    public void ping(ByteBuffer payload) {
        enqueue(new Ping(payload));
        flush();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes the session once the message now being written is done; anything still queued is dropped.
     * Waiting for the in-flight write keeps a close frame from being interleaved with a data frame.
     */
    public void close(CloseReason reason) {
        boolean closeNow;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
            closeNow = !sending;
            if (!closeNow) {
                closeAfterSend = reason;
            }
        }
        if (closeNow) {
            closeSession(reason);
        }
    }

    /** Messages waiting behind the one in flight. */
    public synchronized int queued() {
        return queue.size();
    }

    private void enqueue(Message message) {
        synchronized (this) {
            if (closed) {
                return;
            }
            // An empty queue takes any one message, however large: the limits are on falling behind.
            if (queue.isEmpty()
                    || (queue.size() < maxQueuedMessages && queuedBytes + message.bytes() <= maxQueuedBytes)) {
                queue.add(message);
                queuedBytes += message.bytes();
                return;
            }
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        LOG.info(() -> "Closing session " + session.getId() + ": slow consumer (outbox limit "
                + maxQueuedMessages + " messages / " + maxQueuedBytes + " bytes)");
        // Not deferred behind the in-flight write: that write may never finish for a client that
        // stopped reading. The container closes the connection if the close frame cannot be sent.
        try {
            closer.execute(() -> closeSession(SLOW_CONSUMER));
        } catch (RejectedExecutionException stopping) {
            closeSession(SLOW_CONSUMER); // the scheduler is gone at undeploy: close here rather than not at all
        }
    }

    /** Starts sending the oldest queued message unless a send is already in flight. */
    public void flush() {
        Message next;
        synchronized (this) {
            if (sending || closed || queue.isEmpty()) {
                return;
            }
            sending = true;
            next = queue.poll();
            queuedBytes -= next.bytes();
        }
        transmit(next);
    }

    private void transmit(Message first) {
        Thread me = Thread.currentThread();
        Message message = first;
        while (message != null) {
            synchronized (this) {
                transmittingThread = me;
            }
            send(message);
            synchronized (this) {
                if (transmittingThread == me) {
                    transmittingThread = null;
                }
                if (completedInlineOn != me) {
                    return; // the completion comes later, on another thread, and continues from there
                }
                completedInlineOn = null;
                message = nextAfterInline;
                nextAfterInline = null;
            }
        }
    }

    private void send(Message message) {
        try {
            if (message instanceof Text text) {
                session.getAsyncRemote().sendText(text.text(), this::sent);
            } else if (message instanceof Binary binary) {
                session.getAsyncRemote().sendBinary(binary.data(), this::sent);
            } else if (message instanceof Ping ping) {
                // Pings are small and written at once; the API offers them only as a blocking call.
                session.getAsyncRemote().sendPing(ping.data());
                sent(new SendResult());
            }
        } catch (IOException e) {
            sent(new SendResult(e));
        } catch (RuntimeException e) {
            // Thrown synchronously when the session is already closed.
            sent(new SendResult(e));
        }
    }

    private void sent(SendResult result) {
        Message next;
        CloseReason pendingClose = null;
        synchronized (this) {
            if (!result.isOK()) {
                closed = true;
                queue.clear();
                queuedBytes = 0;
                sending = false;
                Throwable error = result.getException();
                // An I/O error means the client went away; anything else is a bug worth seeing.
                boolean clientGone = error instanceof IOException || (error != null && error.getCause() instanceof IOException);
                LOG.log(clientGone ? Level.FINE : Level.WARNING, "Send to session " + session.getId() + " failed", error);
                return;
            }
            next = closed ? null : queue.poll();
            if (next == null) {
                sending = false;
                pendingClose = closeAfterSend;
                closeAfterSend = null;
            } else {
                queuedBytes -= next.bytes();
            }
            if (transmittingThread == Thread.currentThread()) {
                completedInlineOn = transmittingThread; // inside send(): let transmit() loop instead
                nextAfterInline = next;
                next = null;
            }
        }
        if (next != null) {
            transmit(next);
        } else if (pendingClose != null) {
            closeSession(pendingClose);
        }
    }

    private void closeSession(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Session " + session.getId() + " was already gone when closing", e);
        }
    }
}
