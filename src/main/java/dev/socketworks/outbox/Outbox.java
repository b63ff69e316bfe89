package dev.socketworks.outbox;

import dev.socketworks.json.Unicode;
import dev.socketworks.logging.LogLimiter;
import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Some containers (Tyrus: Payara, GlassFish) report a send complete as soon as they have buffered
 * it, whether or not the client reads, and the queue here would never fill. The outbox therefore
 * confirms delivery itself ({@link DeliveryConfirmation}, with the byte limit as its window): a
 * stalled client then fills this queue and is cut like any other, on every container, for one small
 * ping per megabyte. It hears the pongs itself: {@link #attach} installs the session's pong handler.
 */
public final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    static final CloseReason SLOW_CONSUMER = CloseReasons.of(CloseReason.CloseCodes.VIOLATED_POLICY, "slow consumer");
    static final CloseReason SEND_FAILED = CloseReasons.of(CloseReason.CloseCodes.GOING_AWAY, "connection lost");

    private static final SecureRandom NONCES = new SecureRandom();

    private sealed interface Message permits Text, Binary, Ping {
        long bytes();
    }

    /** {@code publishedAt}: when a hub publication was published (epoch ms), 0 for anything else. */
    private record Text(String text, long bytes, long publishedAt) implements Message {
        Text(String text, long bytes) {
            this(text, bytes, 0);
        }
    }

    private record Binary(ByteBuffer data, long bytes, long publishedAt) implements Message {
        Binary(ByteBuffer data, long bytes) {
            this(data, bytes, 0);
        }
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
    private final OutboxBudget budget; // shared by every outbox: what they all may hold queued together

    // Guarded by this. The lock is never held while calling into the container.
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private boolean closed;
    private CloseReason closeAfterSend;
    private boolean draining; // closeAfterQueued: sends what is queued, takes nothing more
    private final DeliveryConfirmation confirmation; // guarded by this
    private final List<Runnable> pongListeners = new CopyOnWriteArrayList<>();
    // Trampoline state. Containers may complete a send inside the send call (Undertow does when the
    // socket has room); starting the next send from that callback would recurse once per queued
    // message and overflow the stack. An inline completion instead hands the next message back to
    // the loop in transmit() on the same thread.
    private Thread transmittingThread;
    private Thread completedInlineOn;
    private Message nextAfterInline;
    private long inFlightBytes; // guarded by this: size of the data message being sent
    private boolean inFlightData; // guarded by this: a text or binary message is in flight, not a ping
    private long inFlightPublishedAt; // guarded by this: when the publication in flight was published (0: not one)
    private volatile OutboxMeter meter = OutboxMeter.NONE;
    private final SendHandler onSent = this::sent; // one per outbox, not one per message

    /** An outbox that closes slow consumers on the calling thread (tests, single-client services). */
    public Outbox(Session session, int maxQueuedMessages, long maxQueuedBytes) {
        this(session, maxQueuedMessages, maxQueuedBytes, Runnable::run);
    }

    /**
     * @param closer runs the slow-consumer close: closing a session whose writes are stuck can block
     *               for the container's send timeout, and the caller may be fanning out to a whole room
     */
    public Outbox(Session session, int maxQueuedMessages, long maxQueuedBytes, Executor closer) {
        this(session, maxQueuedMessages, maxQueuedBytes, closer, OutboxBudget.UNLIMITED);
    }

    /** @param budget what every outbox together may hold queued (past it, those behind are cut) */
    public Outbox(Session session, int maxQueuedMessages, long maxQueuedBytes, Executor closer, OutboxBudget budget) {
        this.session = session;
        this.budget = budget;
        this.maxQueuedMessages = maxQueuedMessages;
        this.maxQueuedBytes = maxQueuedBytes;
        this.closer = closer;
        this.confirmation = new DeliveryConfirmation(maxQueuedBytes, NONCES::nextLong);
    }

    /**
     * An outbox that hears the session's pongs: it installs the session's one pong handler, which
     * confirms delivery and tells every {@link #onPong} listener (the heartbeat).
     */
    public static Outbox attach(Session session, int maxQueuedMessages, long maxQueuedBytes, Executor closer,
                                OutboxBudget budget) {
        Outbox outbox = new Outbox(session, maxQueuedMessages, maxQueuedBytes, closer, budget);
        session.addMessageHandler(PongMessage.class,
                (MessageHandler.Whole<PongMessage>) pong -> outbox.pong(pong.getApplicationData()));
        return outbox;
    }

    private volatile String description; // what log lines name this client by; set once its connection is known

    /** What log lines call this client: its connection's id, endpoint, address and user. */
    public void describeAs(String description) {
        this.description = description;
    }

    /** The name log lines give this client (its session id until its connection names it). */
    public String describe() {
        String named = description;
        return named != null ? named : "session " + session.getId();
    }

    /** Where this outbox counts what it sends and its cut, from now on. */
    public void meter(OutboxMeter meter) {
        this.meter = meter;
    }

    /** Runs {@code listener} on every pong the client sends, whatever it answers. */
    public void onPong(Runnable listener) {
        pongListeners.add(listener);
    }

    public Session session() {
        return session;
    }

    public void sendText(String text) {
        enqueueText(text);
        flush();
    }

    /** As {@link #sendText(String)}, its UTF-8 size known already (counted as it came in): not counted again. */
    public void sendText(String text, long utf8Bytes) {
        enqueueText(text, utf8Bytes);
        flush();
    }

    /** Sends the buffer's remaining bytes; the caller must not modify it afterwards. */
    public void sendBinary(ByteBuffer data) {
        enqueueBinary(data);
        flush();
    }

    /** Queues without starting a send: for fan-out under a lock, followed by {@link #flush()} outside it. */
    public void enqueueText(String text) {
        enqueue(new Text(text, utf8Size(text)));
    }

    /** As {@link #enqueueText(String)}, its UTF-8 size known already: a large text built of measured parts is not measured again. */
    public void enqueueText(String text, long utf8Bytes) {
        enqueue(new Text(text, utf8Bytes));
    }

    private record MeasuredText(String text, int bytes) {
    }

    /** The last text measured, by identity: a fan-out hands the same String to every subscriber. */
    private static volatile MeasuredText lastMeasured;

    /** Counted without encoding, and once per fan-out rather than once per recipient. */
    static int utf8Size(String text) {
        MeasuredText last = lastMeasured;
        if (last != null && last.text() == text) {
            return last.bytes();
        }
        int bytes = (int) Unicode.utf8Length(text);
        lastMeasured = new MeasuredText(text, bytes);
        return bytes;
    }

    public void enqueueBinary(ByteBuffer data) {
        enqueue(new Binary(data, data.remaining()));
    }

    /** As {@link #enqueueText(String)}, for a hub publication published at {@code publishedAt}: its delivery lag is measured. */
    public void enqueuePublished(String text, long publishedAt) {
        enqueue(new Text(text, utf8Size(text), publishedAt));
    }

    /** As {@link #enqueueBinary(ByteBuffer)}, for a hub publication published at {@code publishedAt}. */
    public void enqueuePublished(ByteBuffer data, long publishedAt) {
        enqueue(new Binary(data, data.remaining(), publishedAt));
    }

    private static long publishedAt(Message message) {
        return message instanceof Text text ? text.publishedAt() : message instanceof Binary binary ? binary.publishedAt() : 0;
    }

    /**
     * For a producer that can wait (a program's output): blocks until the text fits within the
     * limits, so the producer is held back instead of the client being cut as a slow consumer.
     * Returns false, without sending, once the outbox is closed.
     */
    public boolean sendTextWhenRoom(String text) throws InterruptedException {
        return sendWhenRoom(new Text(text, utf8Size(text)));
    }

    /** As {@link #sendTextWhenRoom}, for binary data the caller must not modify afterwards. */
    public boolean sendBinaryWhenRoom(ByteBuffer data) throws InterruptedException {
        return sendWhenRoom(new Binary(data, data.remaining()));
    }

    private boolean sendWhenRoom(Message message) throws InterruptedException {
        synchronized (this) {
            // Waits for room here and in the shared budget; once this queue is empty the message goes
            // whatever the budget (others' queues do not notify this one).
            while (!closed && !draining && !admit(message)) {
                wait(); // notified when a message leaves the queue or the outbox closes
            }
            if (closed || draining) {
                return false;
            }
            queue.add(message);
            queuedBytes += message.bytes();
        }
        flush();
        return true;
    }

    /**
     * Hold the lock. Whether {@code message} fits this outbox's limits and the shared budget (charged to
     * it if so): an empty queue takes any one message, however large, and whatever the others hold.
     */
    private boolean admit(Message message) {
        if (!hasRoomFor(message)) {
            return false;
        }
        if (budget.tryCharge(message.bytes(), queuedBytes)) {
            return true;
        }
        if (queue.isEmpty()) {
            budget.charge(message.bytes());
            return true;
        }
        return false;
    }

    private boolean hasRoomFor(Message message) {
        return queue.isEmpty()
                || (queue.size() < maxQueuedMessages && queuedBytes + message.bytes() <= maxQueuedBytes);
    }

    /** A ping, sent in turn with data messages so a control frame never races a data frame. */
    public void ping(ByteBuffer payload) {
        enqueue(new Ping(payload));
        flush();
    }

    public synchronized boolean isClosed() {
        return closed || draining;
    }

    /**
     * Closes the session once the message now being written is done; anything still queued is dropped.
     * Waiting for the in-flight write keeps a close frame from being interleaved with a data frame.
     */
    public void close(CloseReason reason) {
        boolean closeNow;
        synchronized (this) {
            if (!markClosed()) {
                return;
            }
            closeNow = !sending;
            if (!closeNow) {
                closeAfterSend = reason;
            }
        }
        if (closeNow) {
            closeSession(reason);
        }
    }

    /**
     * Closes the session once what is queued now has been sent, taking nothing more meanwhile: for a
     * client told why it is being closed (a flooder's rate-limited error must reach it first, even
     * behind its own flood's echoes). Bounded by what the outbox already holds.
     */
    public void closeAfterQueued(CloseReason reason) {
        synchronized (this) {
            if (closed || draining || closeAfterSend != null) {
                return;
            }
            if (sending || !queue.isEmpty()) {
                closeAfterSend = reason; // sent() closes once the queue is empty
                draining = true;
                return;
            }
            markClosed();
        }
        closeSession(reason);
    }

    /**
     * Closes the session at once, without waiting for the message being written: for a client that
     * has stopped answering, whose write may never complete (a dead connection). Queued messages are
     * dropped.
     */
    public void closeNow(CloseReason reason) {
        synchronized (this) {
            if (!markClosed()) {
                return;
            }
            closeAfterSend = null;
        }
        closeOffThisThread(reason);
    }

    /**
     * Closes the session with {@code reason} once everything queued has been sent: for a service
     * that ends by itself (a program that exited) and whose last words must reach the client.
     */
    public void closeWhenSent(CloseReason reason) {
        synchronized (this) {
            if (closed || closeAfterSend != null) {
                return;
            }
            if (sending || !queue.isEmpty()) {
                closeAfterSend = reason; // sent() closes once the queue is empty
                return;
            }
            markClosed();
        }
        closeSession(reason);
    }

    /**
     * The session has ended (call from {@code @OnClose}): whatever is queued is dropped and every
     * producer waiting for room is released at once. Without this, a producer blocked in
     * {@link #sendTextWhenRoom} for a client that left would wait forever, since no send completes
     * and no pong arrives for a closed session.
     */
    public void sessionEnded() {
        synchronized (this) {
            markClosed();
            closeAfterSend = null;
        }
    }

    /** Hold the lock. Closes the outbox and drops what is queued; false if it was closed already. */
    private boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        queue.clear();
        budget.refund(queuedBytes);
        queuedBytes = 0;
        notifyAll(); // producers waiting for room give up
        return true;
    }

    /** Messages waiting behind the one in flight. */
    public synchronized int queued() {
        return queue.size();
    }

    private void enqueue(Message message) {
        boolean ownLimit;
        synchronized (this) {
            if (closed || draining) {
                return;
            }
            // An empty queue takes any one message, however large: the limits are on falling behind.
            if (admit(message)) {
                queue.add(message);
                queuedBytes += message.bytes();
                return;
            }
            ownLimit = !hasRoomFor(message);
            markClosed();
        }
        cutSlowConsumer(ownLimit ? "outbox limit " + maxQueuedMessages + " messages / " + maxQueuedBytes + " bytes"
                : "every outbox together holds outboxTotalBytes (" + budget.maxBytes() + " bytes) and this one is behind");
    }

    private void cutSlowConsumer(String why) {
        meter.cutSlow();
        LogLimiter.log(LOG, Level.INFO, "slow consumer",
                () -> "Closing " + describe() + ": slow consumer (" + why + ")");
        // Not deferred behind the in-flight write: that write may never finish for a client that
        // stopped reading. The container closes the connection if the close frame cannot be sent.
        closeOffThisThread(SLOW_CONSUMER);
    }

    /**
     * Closes the session on the closer: closing can block for the container's send timeout, and the
     * caller may be fanning out to a room or running inside a container callback.
     */
    private void closeOffThisThread(CloseReason reason) {
        try {
            closer.execute(() -> closeSession(reason));
        } catch (RejectedExecutionException stopping) {
            closeSession(reason); // the scheduler is gone at undeploy: close here rather than not at all
        }
    }

    /**
     * Call with every pong's data (the handler {@link #attach} installs does). A pong answering a
     * delivery-confirming ping confirms the bytes sent before it, which may let waiting data go.
     */
    public void pong(ByteBuffer data) {
        pongListeners.forEach(Runnable::run);
        boolean moreConfirmed;
        long confirmedPublishedAt;
        synchronized (this) {
            moreConfirmed = confirmation.pong(data);
            confirmedPublishedAt = confirmation.takeConfirmedPublishedAt();
        }
        if (confirmedPublishedAt > 0) {
            meter.confirmed(System.currentTimeMillis() - confirmedPublishedAt);
        }
        if (moreConfirmed) {
            flush();
        }
    }

    /**
     * The next message to send, or null when none may go now. Caller holds the lock. Pings always go:
     * they are how a paused outbox hears from its client. Data waits while a byte limit's worth is
     * unconfirmed; a confirming ping is added whenever another quarter of it has gone out.
     */
    private Message nextToSend() {
        ByteBuffer mark = confirmation.markDue();
        if (mark != null) {
            return new Ping(mark);
        }
        Message head = queue.peek();
        if (head == null || (!(head instanceof Ping) && !confirmation.mayHandOverData())) {
            return null;
        }
        queue.poll();
        queuedBytes -= head.bytes();
        budget.refund(head.bytes());
        notifyAll(); // room for a producer waiting in sendWhenRoom
        return head;
    }

    /** Starts sending the oldest queued message unless a send is already in flight. */
    public void flush() {
        Message next;
        synchronized (this) {
            if (sending || closed) {
                return;
            }
            next = nextToSend();
            if (next == null) {
                return;
            }
            sending = true;
            inFlightBytes = next.bytes();
            inFlightData = !(next instanceof Ping);
            inFlightPublishedAt = publishedAt(next);
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
                session.getAsyncRemote().sendText(text.text(), onSent);
            } else if (message instanceof Binary binary) {
                session.getAsyncRemote().sendBinary(binary.data(), onSent);
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
        // An I/O error, or a session that closed while the message waited, means the client went away;
        // anything else is a bug worth seeing. Containers signal the closed session with an
        // IllegalStateException (Tomcat's isOpen() stays true while its close is under way); the other
        // reason they throw it, a second send in flight, cannot happen here by construction.
        Throwable error = result.isOK() ? null : result.getException();
        boolean clientGone = !result.isOK() && (error instanceof IOException || error instanceof IllegalStateException
                || (error != null && error.getCause() instanceof IOException) || !session.isOpen());
        CloseReason failedClose = null;
        synchronized (this) {
            if (!result.isOK()) {
                markClosed();
                sending = false;
                failedClose = closeAfterSend != null ? closeAfterSend : SEND_FAILED; // keep a pending 1001
                closeAfterSend = null;
            }
        }
        if (failedClose != null) {
            if (clientGone) {
                LOG.log(Level.FINE, "Send to " + describe() + " failed", error);
            } else { // a client can reset its connection at will: limited
                String id = session.getId();
                LogLimiter.log(LOG, Level.WARNING, "send failed", () -> "Send to session " + id + " failed", error);
            }
            // End the session now: its @OnClose (a chat leave, say) must not wait until the container
            // notices the dead connection by itself.
            closeOffThisThread(failedClose);
            return;
        }
        long sentBytes;
        boolean sentData;
        long sentPublishedAt;
        synchronized (this) {
            sentBytes = inFlightBytes;
            sentData = inFlightData;
            sentPublishedAt = inFlightPublishedAt;
            confirmation.handedOver(inFlightBytes, inFlightPublishedAt);
            inFlightBytes = 0;
            next = closed ? null : nextToSend();
            if (next == null) {
                sending = false;
                if (queue.isEmpty() && closeAfterSend != null) {
                    pendingClose = closeAfterSend;
                    closeAfterSend = null;
                    markClosed(); // already so after close(); after closeWhenSent() it happens now
                }
            } else {
                inFlightBytes = next.bytes();
                inFlightData = !(next instanceof Ping);
                inFlightPublishedAt = publishedAt(next);
            }
            if (transmittingThread == Thread.currentThread()) {
                completedInlineOn = transmittingThread; // inside send(): let transmit() loop instead
                nextAfterInline = next;
                next = null;
            }
        }
        if (sentData) {
            meter.sent(sentBytes);
            if (sentPublishedAt > 0) {
                meter.delivered(System.currentTimeMillis() - sentPublishedAt);
            }
        }
        if (next != null) {
            transmit(next);
        } else if (pendingClose != null) {
            // Not here: this completion may run inside another session's send, on a thread flushing a
            // whole room's fan-out, and closing blocks (the close frame, then @OnClose and its leave,
            // fanned out in turn) while the rest of that room waits.
            closeOffThisThread(pendingClose);
        }
    }

    private void closeSession(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, describe() + " was already gone when closing", e);
        }
    }
}
