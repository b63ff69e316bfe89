package dev.socketworks.hub;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Topics held in this JVM. A publish enqueues on every subscriber under its topic's lock, so
 * concurrent publishers are put in one order that all subscribers share; the sends start after the
 * lock is released, so a container call that blocks (a session closing, a full socket) can never
 * hold up the other publishers or subscribers of the topic.
 */
public final class InMemoryHub implements Hub {

    private static final class Topic {
        final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    }

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber) {
        return subscribe(topic, subscriber, List::of);
    }

    @Override
    public Subscription subscribe(String topic, Subscriber subscriber, Supplier<List<String>> welcome) {
        Topic t = topics.computeIfAbsent(topic, name -> new Topic());
        synchronized (t) {
            welcome.get().forEach(subscriber::text);
            t.subscribers.add(subscriber);
        }
        subscriber.flush();
        return () -> {
            synchronized (t) {
                t.subscribers.remove(subscriber);
            }
        };
    }

    @Override
    public void publish(String topic, String text) {
        publishComputed(topic, () -> List.of(text));
    }

    @Override
    public void publishComputed(String topic, Supplier<List<String>> change) {
        // The topic exists even with no subscriber, so changes are serialized all the same.
        Topic t = topics.computeIfAbsent(topic, name -> new Topic());
        Object[] delivered;
        synchronized (t) {
            List<String> texts = change.get();
            if (texts.isEmpty()) {
                return;
            }
            delivered = t.subscribers.toArray();
            for (Object s : delivered) {
                texts.forEach(((Subscriber) s)::text);
            }
        }
        flush(delivered);
    }

    @Override
    public void publish(String topic, ByteBuffer data) {
        Topic t = topics.get(topic);
        if (t == null) {
            return;
        }
        Object[] delivered;
        synchronized (t) {
            delivered = t.subscribers.toArray();
            for (Object s : delivered) {
                ((Subscriber) s).binary(data.duplicate()); // own position per subscriber: sends run concurrently
            }
        }
        flush(delivered);
    }

    private static void flush(Object[] subscribers) {
        for (Object s : subscribers) {
            ((Subscriber) s).flush();
        }
    }

    @Override
    public int subscribers(String topic) {
        Topic t = topics.get(topic);
        return t == null ? 0 : t.subscribers.size();
    }

    @Override
    public void release(String topic) {
        topics.computeIfPresent(topic, (name, t) -> t.subscribers.isEmpty() ? null : t);
    }

    /** Topics currently held (for tests of release). */
    int topicCount() {
        return topics.size();
    }
}
