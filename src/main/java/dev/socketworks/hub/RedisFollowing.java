package dev.socketworks.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The topics this server follows in Redis, and their delivery here. One channel subscription per
 * topic, not per client; publications fan out through {@link LocalFanout}, each topic in order on
 * its turn of a small pool ({@link SerialQueues}), other topics beside it: a duplicate is dropped and
 * a gap is first filled from the stream, so a subscriber sees every retained publication once, in
 * order. After a reconnect each topic is read from where it stopped; a topic whose epoch changed
 * (Redis lost it) is announced to its subscribers as a {@link Subscriber#reset reset}.
 *
 * <p>A joiner reads history and the topic's offset after its channel subscription is confirmed:
 * publications up to that offset come from history, later ones live, with no gap and no duplicate.
 */
final class RedisFollowing {

    private static final Logger LOG = Logger.getLogger(RedisFollowing.class.getName());
    static final byte TEXT = 't';
    static final byte BINARY = 'b';
    static final byte PRESENCE = 'p';
    /** Publications waiting for delivery, all topics together; past it a publication is dropped and read back from the stream. */
    private static final int DISPATCH_QUEUE = 65_536;
    /** Publications a subscriber may wait for while its history is read: past it, the start reads again under the lock. */
    private static final int MAX_STARTING = 10_000;
    /** Threads starting sends after each delivery: as many blocked sends as this, less one, leave the others going. */
    private static final int SENDERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final Duration CATCH_UP_RETRY = Duration.ofMillis(500);
    private static final int CATCH_UP_ATTEMPTS = 120; // a minute: past it, the next (re)subscription catches up

    /** What following reads from Redis: a log's history, a counter's value. */
    interface Reader {
        History history(String topic, long afterOffset, int limit);

        Message counterNow(String topic);
    }

    /** Where a new subscriber starts: the epoch, the offset its first deliveries bring it to, and those deliveries. */
    record Start(String epoch, long servedThrough, List<Message> first) {
    }

    /**
     * One topic as this server follows it: its local subscribers, the last offset dispatched, and its
     * turn on the delivery pool.
     */
    private static final class Followed {
        final String topic;
        final boolean counter;
        final SerialQueues.Queue queue;
        final ReentrantLock lock = new ReentrantLock();
        final LocalFanout subscribers = new LocalFanout(); // guarded by lock; sized without it
        // Guarded by lock. A null epoch: nothing known yet.
        long lastOffset;
        String epoch;

        Followed(String topic, boolean counter, SerialQueues.Queue queue) {
            this.topic = topic;
            this.counter = counter;
            this.queue = queue;
        }
    }

    private final RedisLink link;
    private final RedisKeys keys;
    private final Reader reader;
    private final SerialQueues delivery;
    private final ThreadPoolExecutor sending;
    private final ConcurrentHashMap<String, Followed> followed = new ConcurrentHashMap<>(); // by channel

    RedisFollowing(RedisLink link, RedisKeys keys, Reader reader, String node) {
        this.link = link;
        this.keys = keys;
        this.reader = reader;
        // Off Lettuce's event loop (filling a gap is a blocking call), each topic in order on its turn
        // of a pool sized to the cores, so a topic waiting for Redis holds up no other. Bounded: when
        // delivery falls that far behind, a publication is dropped here and read back from the stream
        // when the next one shows the gap.
        this.delivery = new SerialQueues("socketworks-redis-delivery-" + node,
                Math.max(2, Runtime.getRuntime().availableProcessors()), DISPATCH_QUEUE);
        this.sending = RedisLink.pool("socketworks-redis-send-" + node, SENDERS);
    }

    /** A publication from Redis, on Lettuce's thread: handed to its topic's turn. */
    void message(String channel, byte[] raw) {
        Followed f = followed.get(channel);
        if (f != null) {
            f.queue.execute(() -> dispatch(f, raw));
        }
    }

    /** Lettuce resubscribed on a new connection: read what was missed meanwhile. */
    void resubscribed(String channel) {
        Followed f = followed.get(channel);
        if (f != null) {
            f.queue.execute(() -> catchUp(f, 1));
        }
    }

    /** This server's presence in Redis expired: every subscriber must claim its own again. */
    void presenceLost() {
        followed.values().forEach(f -> f.queue.execute(() -> presenceLost(f)));
    }

    /** The topics followed now. */
    Collection<String> topics() {
        return followed.values().stream().map(f -> f.topic).toList();
    }

    int subscribers(String topic) {
        Followed f = followed.get(keys.channel(topic));
        return f == null ? 0 : f.subscribers.size();
    }

    /** Publications this server could not dispatch in time (then read back from the stream, if retained). */
    long dropped() {
        return delivery.dropped();
    }

    /** Subscribes {@code subscriber} from {@code start}, read after the topic's channel is confirmed. */
    Hub.Subscription follow(String topic, boolean counter, Subscriber subscriber, Supplier<Start> start) {
        Followed f = followed.computeIfAbsent(keys.channel(topic), channel -> {
            link.subscribe(channel); // confirmed before any history is read
            return new Followed(topic, counter, delivery.queue());
        });
        // The history is read outside the topic's lock: a crowd joining must not hold up the delivery
        // of the topic's publications, one round trip each (it did: 10,000 joiners starved it). Live
        // publications meanwhile wait in the new subscriber's own list and are merged by offset.
        LocalFanout.Local local;
        f.lock.lock();
        try {
            local = f.subscribers.add(subscriber, Long.MAX_VALUE, true);
        } finally {
            f.lock.unlock();
        }
        Start s;
        try {
            s = start.get();
        } catch (RuntimeException e) {
            remove(f, subscriber);
            throw e;
        }
        LocalFanout.Recipients recipients = new LocalFanout.Recipients();
        boolean delivered;
        f.lock.lock();
        try {
            if (local.starting == null || local.starting.size() > MAX_STARTING) {
                s = start.get(); // too much came meanwhile, or the epoch changed: read again, holding the lock
                local.starting = new ArrayList<>();
            }
            if (f.epoch != null && !s.epoch().equals(f.epoch)) {
                advance(f, null, recipients); // the topic's past was lost before this server noticed
                local.starting = new ArrayList<>();
            }
            List<Message> first = firstDeliveries(s, local.starting, counter);
            first.forEach(subscriber::deliver);
            delivered = !first.isEmpty();
            long served = s.servedThrough();
            for (Message m : first) {
                served = Math.max(served, m.offset());
            }
            local.servedThrough = served;
            local.starting = null;
            if (f.epoch == null) {
                f.epoch = s.epoch();
                f.lastOffset = s.servedThrough();
            }
        } catch (RuntimeException e) {
            local.starting = null;
            f.subscribers.remove(subscriber);
            throw e;
        } finally {
            f.lock.unlock();
        }
        recipients.flush();
        if (delivered) {
            subscriber.flush();
        }
        return () -> remove(f, subscriber);
    }

    /** Stops following a topic nobody here subscribes to; whether it was followed. */
    boolean unfollow(String topic) {
        String channel = keys.channel(topic);
        Followed f = followed.get(channel);
        if (f == null || f.subscribers.size() != 0 || !followed.remove(channel, f)) {
            return false;
        }
        link.unsubscribe(channel);
        return true;
    }

    private static void remove(Followed f, Subscriber subscriber) {
        f.lock.lock();
        try {
            f.subscribers.remove(subscriber);
        } finally {
            f.lock.unlock();
        }
    }

    /**
     * What a new subscriber gets first: the start's history, with the live publications that came
     * while it was read, in offset order, each once. A counter's start is its value: only later
     * changes follow it.
     */
    private static List<Message> firstDeliveries(Start s, List<Message> cameMeanwhile, boolean counter) {
        TreeMap<Long, Message> byOffset = new TreeMap<>();
        s.first().forEach(m -> byOffset.put(m.offset(), m));
        long floor = counter && !s.first().isEmpty() ? s.first().get(0).offset() : Long.MIN_VALUE;
        for (Message m : cameMeanwhile) {
            if (m.offset() > floor && m.epoch().equals(s.epoch())) {
                byOffset.putIfAbsent(m.offset(), m);
            }
        }
        return List.copyOf(byOffset.values());
    }

    /** On the topic's turn: one publication from the channel, decoded once for the server, in the order Redis published them. */
    private void dispatch(Followed f, byte[] raw) {
        Message message;
        try {
            message = decode(f.topic, raw);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unreadable publication on " + f.topic, e);
            return;
        }
        if (message.publishedAt() > 0) {
            link.stats.pubSub(System.currentTimeMillis() - message.publishedAt());
        }
        deliverUpToDate(f, message);
    }

    /**
     * On the topic's turn, after (re)subscribing: delivers what was published while the link was
     * down. If Redis cannot be read yet (the subscription came back before the command link), it tries
     * again every {@link #CATCH_UP_RETRY}: a counter nobody changes would otherwise never learn that
     * Redis lost it (ClusterIT waited 20 s for the reset total once).
     */
    private void catchUp(Followed f, int attempt) {
        if (attempt == 1) {
            link.stats.catchUps.increment();
        }
        if (!deliverUpToDate(f, null) && attempt < CATCH_UP_ATTEMPTS) {
            link.later(CATCH_UP_RETRY, () -> f.queue.execute(() -> catchUp(f, attempt + 1)));
        }
    }

    /**
     * Starts the sends, not on the topic's turn: a send that blocks in the container (a full socket, a
     * close under way) holds up that one thread, while the topic's next publications are delivered and
     * their own flushes reach everyone else (a blocked outbox's next flush returns at once). If every
     * sending thread is taken, the turn flushes itself.
     */
    private void flushOffTurn(LocalFanout.Recipients recipients) {
        try {
            sending.execute(recipients::flush);
        } catch (RejectedExecutionException e) {
            recipients.flush();
        }
    }

    /** False when Redis could not be read (the link dropped again). */
    private boolean deliverUpToDate(Followed f, Message live) {
        LocalFanout.Recipients recipients = new LocalFanout.Recipients();
        boolean read = true;
        f.lock.lock();
        try {
            if (f.epoch != null) {
                advance(f, live, recipients);
            }
        } catch (EngineUnavailableException e) {
            read = false; // a live message: the next one or the next (re)subscription catches up from here
        } finally {
            f.lock.unlock();
        }
        flushOffTurn(recipients);
        return read;
    }

    /**
     * Under the topic's lock: brings its subscribers up to {@code live} (or, when null, to the
     * topic's state in Redis), reading from the stream what the channel did not bring, announcing a
     * new epoch as a reset.
     */
    private void advance(Followed f, Message live, LocalFanout.Recipients recipients) {
        if (f.counter) {
            Message latest = live != null ? live : reader.counterNow(f.topic);
            boolean newEpoch = !latest.epoch().equals(f.epoch);
            if (newEpoch) {
                newEpoch(f, latest.epoch(), recipients); // a counter's value is its whole state
            }
            if (newEpoch || latest.offset() > f.lastOffset) {
                f.subscribers.deliver(latest, recipients);
                f.lastOffset = latest.offset();
            }
            return;
        }
        List<Message> missed;
        if (live != null && live.epoch().equals(f.epoch)) {
            if (live.offset() <= f.lastOffset) {
                return; // already delivered (or served from history to everyone following)
            }
            long gap = live.offset() - f.lastOffset - 1; // overflows after a new epoch's Long.MIN_VALUE
            missed = gap != 0 ? reader.history(f.topic, f.lastOffset, gap < 0 || gap > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) gap).messages()
                    : List.of();
        } else {
            History h = reader.history(f.topic, f.lastOffset, Integer.MAX_VALUE);
            if (!h.epoch().equals(f.epoch)) {
                h = reader.history(f.topic, Long.MIN_VALUE, Integer.MAX_VALUE);
                newEpoch(f, h.epoch(), recipients);
            }
            missed = h.messages();
            if (live == null) {
                // lastOffset stays at the last one delivered: a publication that is still on its way
                // here must not count as seen; an unretained one that never comes is a gap the next
                // live publication skips, finding nothing in the stream for it.
                for (Message m : missed) {
                    deliverOnce(f, m, recipients);
                }
                return;
            }
        }
        for (Message m : missed) {
            if (m.offset() < live.offset()) {
                deliverOnce(f, m, recipients);
            }
        }
        if (live.epoch().equals(f.epoch)) {
            deliverOnce(f, live, recipients);
        }
    }

    private static void newEpoch(Followed f, String epoch, LocalFanout.Recipients recipients) {
        LOG.warning(() -> "Topic " + f.topic + " lost its past in Redis (epoch " + f.epoch + " -> " + epoch + ")");
        f.epoch = epoch;
        f.lastOffset = Long.MIN_VALUE;
        f.subscribers.newEpoch(true, recipients);
    }

    private static void deliverOnce(Followed f, Message message, LocalFanout.Recipients recipients) {
        if (message.offset() > f.lastOffset) {
            f.subscribers.deliver(message, recipients);
            f.lastOffset = message.offset();
        }
    }

    private void presenceLost(Followed f) {
        LocalFanout.Recipients recipients = new LocalFanout.Recipients();
        f.lock.lock();
        try {
            f.subscribers.presenceLost(recipients);
        } finally {
            f.lock.unlock();
        }
        flushOffTurn(recipients);
    }

    /**
     * "epoch\noffset\nkind\npayload", the payload binary-safe, the kind a byte followed by when it was
     * published (epoch ms; absent for presence changes); a presence change (kind 'p') has the
     * number of members after it before its payload: "epoch\noffset\np\ncount\npayload".
     */
    static Message decode(String topic, byte[] raw) {
        int[] at = new int[4];
        int found = 0;
        for (int i = 0; i < raw.length && found < 3; i++) {
            if (raw[i] == '\n') {
                at[found++] = i;
            }
        }
        if (found < 3) {
            throw new IllegalArgumentException("not a publication");
        }
        String epoch = new String(raw, 0, at[0], StandardCharsets.UTF_8);
        long offset = Long.parseLong(new String(raw, at[0] + 1, at[1] - at[0] - 1, StandardCharsets.US_ASCII));
        byte kind = raw[at[1] + 1];
        long publishedAt = 0; // the digits after the kind's byte, when the publisher wrote them
        for (int i = at[1] + 2; i < at[2] && raw[i] >= '0' && raw[i] <= '9'; i++) {
            publishedAt = publishedAt * 10 + (raw[i] - '0');
        }
        int payloadStart = at[2] + 1;
        int present = -1;
        if (kind == PRESENCE) {
            int end = payloadStart;
            while (end < raw.length && raw[end] != '\n') {
                end++;
            }
            present = Integer.parseInt(new String(raw, payloadStart, end - payloadStart, StandardCharsets.US_ASCII));
            payloadStart = end + 1;
        }
        byte[] payload = Arrays.copyOfRange(raw, payloadStart, raw.length);
        return kind == BINARY
                ? new Message(topic, epoch, offset, null, ByteBuffer.wrap(payload), -1, publishedAt)
                : new Message(topic, epoch, offset, new String(payload, StandardCharsets.UTF_8), null, present, publishedAt);
    }

    /** First step of closing: no more deliveries start. */
    void shutdown() {
        delivery.shutdown();
    }

    /** Last step of closing: every delivery and sending thread has ended. */
    void awaitEnd() {
        sending.shutdownNow();
        RedisLink.awaitEnd(sending);
        delivery.awaitTermination(Duration.ofSeconds(2));
    }
}
