package dev.socketworks.hub;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Topics held in this JVM. Each operation runs under its topic's lock and only enqueues on the
 * subscribers there, which puts concurrent publishers in the one order every subscriber shares; the
 * sends start after the lock is released ({@link Subscriber#flush}), so a container call that blocks
 * can never hold up the topic's other publishers or subscribers.
 *
 * <p>Offsets: a log topic's first epoch starts above the current time in microseconds, so a topic
 * re-created after it was released, or after a redeploy, continues above every offset its previous
 * life gave out (a client resuming with an old offset gets the whole new history, not nothing). A
 * counter's offsets count its changes from 0.
 *
 * <p>Retained history is bounded per topic by each publication's {@link Retention} and in all by
 * {@code maxRetainedBytes}: over it, topics nobody subscribes to lose their history first (least
 * recently used first), then the publishing topic its own oldest.
 */
public final class InMemoryHub implements Hub {

    private final class Topic {
        final ReentrantLock lock = new ReentrantLock();
        final String name;
        final String epoch;
        final boolean counter;
        // Guarded by lock.
        long offset;
        long value;
        long droppedThrough; // the newest retained offset dropped since the epoch began
        final ArrayDeque<Message> retained = new ArrayDeque<>();
        volatile long retainedBytes; // read without the lock when choosing what to reclaim
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
        final Map<String, Integer> holds = new HashMap<>(); // by member key: the connections sharing its entry
        final Map<String, String> keysByUser = new HashMap<>(); // a signed-in user's entry, whatever its name
        final LocalFanout subscribers = new LocalFanout();
        volatile long lastUsed;
        boolean released;

        Topic(String name, boolean counter) {
            this.name = name;
            this.counter = counter;
            this.epoch = hubId + "." + epochs.incrementAndGet();
            // Above the clock in µs, and above every released topic's last offset: a room dropped and made
            // again within the same millisecond still goes on above its old ids.
            this.offset = counter ? 0 : Math.max(clock.millis() * 1000, releasedThrough.get());
            this.droppedThrough = offset;
            touch();
        }

        void touch() {
            lastUsed = ticks.incrementAndGet();
        }

        LocalFanout.Recipients publish(Message message, Retention retention) {
            LocalFanout.Recipients recipients = new LocalFanout.Recipients();
            subscribers.deliver(message, recipients); // on the publisher's thread: a flood's cost falls on the flooder
            retain(message, retention);
            touch();
            return recipients;
        }

        private void retain(Message message, Retention retention) {
            if (retention.maxMessages() == 0) {
                return;
            }
            long bytes = message.retainedBytes();
            if (bytes > retention.maxBytes()) {
                droppedThrough = message.offset();
                return;
            }
            while (retained.size() >= retention.maxMessages() || retainedBytes + bytes > retention.maxBytes()) {
                dropOldest();
            }
            while (!budget.tryCharge(bytes, this)) {
                if (retained.isEmpty()) {
                    droppedThrough = message.offset(); // other topics' subscribed history holds the budget
                    return;
                }
                dropOldest();
            }
            retained.addLast(message);
            retainedBytes += bytes;
        }

        void dropOldest() {
            Message oldest = retained.removeFirst();
            retainedBytes -= oldest.retainedBytes();
            budget.refund(oldest.retainedBytes());
            droppedThrough = oldest.offset();
        }

        void dropAll() {
            while (!retained.isEmpty()) {
                dropOldest();
            }
        }

        Message next(String text, ByteBuffer data) {
            offset++;
            return Message.published(name, epoch, offset, text, data, clock.millis());
        }

        /** A presence change: the announcement, with the members after it. */
        Message nextPresence(String announcement) {
            offset++;
            return new Message(name, epoch, offset, announcement, null, members.size());
        }
    }

    private final String node;
    private final Clock clock;
    private final String hubId;
    private final AtomicLong epochs = new AtomicLong();
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong releasedThrough = new AtomicLong(); // the highest last offset of a released log
    private final RetentionBudget budget;
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

    public InMemoryHub() {
        this("local", Long.MAX_VALUE, Clock.systemUTC());
    }

    public InMemoryHub(String node, long maxRetainedBytes, Clock clock) {
        this.node = node;
        this.clock = clock;
        this.hubId = Long.toString(clock.millis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
        this.budget = new RetentionBudget(maxRetainedBytes, this::dropIdleHistory);
    }

    @Override
    public String node() {
        return node;
    }

    /** One server: only this one. */
    @Override
    public boolean isAlive(String server) {
        return node.equals(server);
    }

    private record Revoked(Instant before, Instant until) {
    }

    private final ConcurrentHashMap<String, Revoked> revoked = new ConcurrentHashMap<>();
    int maxRevoked = MAX_REVOKED_IN_MEMORY; // a test lowers it

    @Override
    public boolean revoke(String subject, Instant before, java.time.Duration keep) {
        Instant now = clock.instant();
        if (revoked.size() >= maxRevoked && !revoked.containsKey(subject)) {
            revoked.values().removeIf(r -> !r.until().isAfter(now));
            if (revoked.size() >= maxRevoked) {
                return false;
            }
        }
        revoked.merge(subject, new Revoked(before, now.plus(keep)), (was, next) ->
                new Revoked(was.before().isAfter(next.before()) ? was.before() : next.before(), next.until()));
        return true;
    }

    @Override
    public Instant revokedBefore(String subject) {
        Revoked r = revoked.get(subject);
        if (r == null || !r.until().isAfter(clock.instant())) {
            return null;
        }
        return r.before();
    }

    @Override
    public List<String> servers() {
        return List.of(node);
    }

    /** The topic, locked; the caller unlocks. A topic released meanwhile is replaced by a new one. */
    private Topic locked(String name, boolean counter) {
        while (true) {
            Topic t = topics.computeIfAbsent(name, n -> new Topic(n, counter));
            t.lock.lock();
            if (!t.released) {
                if (t.counter != counter) {
                    t.lock.unlock();
                    throw new IllegalStateException("topic " + name + " is " + (t.counter ? "a counter" : "a log"));
                }
                return t;
            }
            t.lock.unlock();
        }
    }

    @Override
    public long publish(String topic, String text, Retention retention) {
        return publish(topic, text, null, retention);
    }

    @Override
    public long publish(String topic, ByteBuffer data, Retention retention) {
        return publish(topic, null, data, retention);
    }

    private long publish(String topic, String text, ByteBuffer data, Retention retention) {
        return underLock(topic, false, t -> {
            Message message = t.next(text, data);
            return new Outcome<>(message.offset(), t.publish(message, retention));
        });
    }

    /** What an operation under a topic's lock returns, and whom it enqueued for. */
    private record Outcome<R>(R result, LocalFanout.Recipients recipients) {
    }

    private static final LocalFanout.Recipients NOBODY = new LocalFanout.Recipients();

    /** Runs {@code step} under the topic's lock, then flushes those it enqueued for, with no lock held. */
    private <R> R underLock(String topic, boolean counter, Function<Topic, Outcome<R>> step) {
        Topic t = locked(topic, counter);
        Outcome<R> outcome;
        try {
            outcome = step.apply(t);
        } finally {
            t.lock.unlock();
        }
        outcome.recipients().flush();
        return outcome.result();
    }

    @Override
    public History history(String topic, long afterOffset, int limit) {
        Topic t = locked(topic, false);
        try {
            return new History(t.epoch, t.offset, t.droppedThrough <= afterOffset, retainedAfter(t, afterOffset, limit));
        } finally {
            t.lock.unlock();
        }
    }

    private static List<Message> retainedAfter(Topic t, long afterOffset, int limit) {
        List<Message> after = new ArrayList<>();
        for (Message m : t.retained) {
            if (after.size() >= limit) {
                break;
            }
            if (m.offset() > afterOffset) {
                after.add(m);
            }
        }
        return after;
    }

    @Override
    public CounterChange add(String topic, long delta) {
        return underLock(topic, true, t -> {
            long next;
            try {
                next = Math.addExact(t.value, delta);
            } catch (ArithmeticException e) {
                return new Outcome<>(new CounterChange.Overflow(), NOBODY);
            }
            t.value = next;
            Message message = t.next(Long.toString(next), null);
            return new Outcome<>(new CounterChange.Counted(next, message.offset()), t.publish(message, Retention.NONE));
        });
    }

    @Override
    public Optional<Entered> enter(String topic, Member member, String announcement, int listMax) {
        return underLock(topic, false, t -> {
            String ownKey = member.user() == null ? null : t.keysByUser.get(member.user());
            if (ownKey != null) {
                t.holds.merge(ownKey, 1, Integer::sum);
                return new Outcome<>(Optional.of(entered(t, NOT_ANNOUNCED, t.members.get(ownKey), listMax)), NOBODY);
            }
            if (t.members.containsKey(member.key())) {
                return new Outcome<>(Optional.empty(), NOBODY);
            }
            t.members.put(member.key(), member);
            t.holds.put(member.key(), 1);
            if (member.user() != null) {
                t.keysByUser.put(member.user(), member.key());
            }
            Message announced = t.nextPresence(announcement);
            return new Outcome<>(Optional.of(entered(t, announced.offset(), member, listMax)), t.publish(announced, Retention.NONE));
        });
    }

    /** The members as of now, at most {@code listMax} of them: O(listMax), whatever the room's size. Guarded by the topic's lock. */
    private static Entered entered(Topic t, long offset, Member held, int listMax) {
        List<Member> first = t.members.values().stream().limit(listMax).toList();
        return new Entered(offset, held, t.members.size(), first, t.offset);
    }

    @Override
    public OptionalLong leave(String topic, String key, String announcement) {
        return underLock(topic, false, t -> {
            Integer held = t.holds.get(key);
            if (held == null) {
                return new Outcome<>(OptionalLong.empty(), NOBODY);
            }
            if (held > 1) {
                t.holds.put(key, held - 1);
                return new Outcome<>(OptionalLong.of(NOT_ANNOUNCED), NOBODY);
            }
            t.holds.remove(key);
            Member gone = t.members.remove(key);
            if (gone != null && gone.user() != null) {
                t.keysByUser.remove(gone.user(), key);
            }
            Message announced = t.nextPresence(announcement);
            return new Outcome<>(OptionalLong.of(announced.offset()), t.publish(announced, Retention.NONE));
        });
    }

    private final Places places = new LocalPlaces();

    @Override
    public Places places() {
        return places;
    }

    @Override
    public List<Member> members(String topic) {
        Topic t = locked(topic, false);
        try {
            return List.copyOf(t.members.values());
        } finally {
            t.lock.unlock();
        }
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber) {
        return subscribe(topic, false, subscriber, t -> List.of());
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber, long afterOffset, int limit) {
        return subscribe(topic, false, subscriber, t -> retainedAfter(t, afterOffset, limit));
    }

    @Override
    public Subscription watch(String topic, Subscriber subscriber) {
        return subscribe(topic, true, subscriber, t -> List.of(Message.text(t.name, t.epoch, t.offset, Long.toString(t.value))));
    }

    /** Delivers {@code first} and adds the subscriber under one lock: no publication falls between. */
    private Subscription subscribe(String topic, boolean counter, Subscriber subscriber,
                                   Function<Topic, List<Message>> first) {
        Topic t = locked(topic, counter);
        List<Message> replay;
        try {
            replay = first.apply(t);
            replay.forEach(subscriber::deliver);
            t.subscribers.add(subscriber, Long.MIN_VALUE, false); // under the lock: nothing older can come after
            t.touch();
        } finally {
            t.lock.unlock();
        }
        if (!replay.isEmpty()) {
            subscriber.flush();
        }
        return unsubscribe(t, subscriber);
    }

    private static Subscription unsubscribe(Topic t, Subscriber subscriber) {
        return () -> {
            t.lock.lock();
            try {
                t.subscribers.remove(subscriber);
                t.touch();
            } finally {
                t.lock.unlock();
            }
        };
    }

    @Override
    public int subscribers(String topic) {
        Topic t = topics.get(topic);
        if (t == null) {
            return 0;
        }
        t.lock.lock();
        try {
            return t.subscribers.size();
        } finally {
            t.lock.unlock();
        }
    }

    @Override
    public void release(String topic) {
        Topic t = topics.get(topic);
        if (t == null) {
            return;
        }
        t.lock.lock();
        try {
            if (!t.subscribers.isEmpty() || !t.members.isEmpty() || t.released) {
                return;
            }
            t.released = true;
            if (!t.counter) {
                releasedThrough.accumulateAndGet(t.offset, Math::max);
            }
            t.dropAll();
            topics.remove(topic, t);
        } finally {
            t.lock.unlock();
        }
    }

    /**
     * Frees history of topics nobody subscribes to, least recently used first, until {@code wanted}
     * bytes are free. Runs under {@code requester}'s lock, so other topics are only tried
     * ({@code tryLock}): one busy elsewhere is skipped rather than waited for, and no two topics'
     * reclaims can wait on each other.
     */
    private void dropIdleHistory(long wanted, Object requester) {
        List<Topic> idle = topics.values().stream()
                .filter(t -> t != requester && t.retainedBytes > 0)
                .sorted(Comparator.comparingLong(t -> t.lastUsed))
                .toList();
        long freed = 0;
        for (Topic t : idle) {
            if (freed >= wanted) {
                return;
            }
            if (t.lock.tryLock()) {
                try {
                    if (t.subscribers.isEmpty()) {
                        long before = t.retainedBytes;
                        t.dropAll();
                        freed += before;
                    }
                } finally {
                    t.lock.unlock();
                }
            }
        }
    }

    /** Topics currently held (for tests of release). */
    int topicCount() {
        return topics.size();
    }

    /** Bytes all topics' retained history holds. */
    public long retainedBytes() {
        return budget.used();
    }
}
