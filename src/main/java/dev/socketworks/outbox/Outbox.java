package dev.socketworks.outbox;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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

    private sealed interface Message permits Text, Binary {
        long bytes();
    }

    private record Text(String text, long bytes) implements Message {
    }

    private record Binary(ByteBuffer data, long bytes) implements Message {
    }

    private final Session session;
    private final int maxQueuedMessages;
    private final long maxQueuedBytes;

    // Guarded by this. The lock is never held while calling into the container.
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private boolean closed;
    private CloseReason closeAfterSend;

    public Outbox(Session session, int maxQueuedMessages, long maxQueuedBytes) {
        this.session = session;
        this.maxQueuedMessages = maxQueuedMessages;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public void sendText(String text) {
        offer(new Text(text, text.getBytes(StandardCharsets.UTF_8).length));
    }

    /** Sends the buffer's remaining bytes; the caller must not modify it afterwards. */
    public void sendBinary(ByteBuffer data) {
        offer(new Binary(data, data.remaining()));
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

    private void offer(Message message) {
        boolean slowConsumer = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!sending) {
                sending = true;
            } else if (queue.size() >= maxQueuedMessages || queuedBytes + message.bytes() > maxQueuedBytes) {
                closed = true;
                queue.clear();
                queuedBytes = 0;
                slowConsumer = true;
            } else {
                queue.add(message);
                queuedBytes += message.bytes();
                return;
            }
        }
        if (slowConsumer) {
            LOG.info(() -> "Closing session " + session.getId() + ": slow consumer (outbox limit "
                    + maxQueuedMessages + " messages / " + maxQueuedBytes + " bytes)");
            // Not deferred behind the in-flight write: that write may never finish for a client that
            // stopped reading. The container closes the connection if the close frame cannot be sent.
            closeSession(SLOW_CONSUMER);
            return;
        }
        transmit(message);
    }

    private void transmit(Message message) {
        try {
            if (message instanceof Text text) {
                session.getAsyncRemote().sendText(text.text(), this::sent);
            } else if (message instanceof Binary binary) {
                session.getAsyncRemote().sendBinary(binary.data(), this::sent);
            }
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
                LOG.log(Level.FINE, "Send to session " + session.getId() + " failed; client gone", result.getException());
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
