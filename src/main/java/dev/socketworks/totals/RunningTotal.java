package dev.socketworks.totals;

import dev.socketworks.hub.CounterChange;
import dev.socketworks.hub.Counter;
import dev.socketworks.hub.Hub;
import dev.socketworks.hub.Message;
import dev.socketworks.hub.Subscriber;

/**
 * The one running total of the deployment: a counter on the hub. Exact 64-bit arithmetic (an
 * addition that would overflow is refused and leaves the total unchanged); each change's offset is
 * its {@code seq}, so every subscriber sees totals in the order they were made, and a joiner gets
 * the current total first, atomically with its subscription.
 */
public final class RunningTotal {

    static final String TOPIC = "totals";

    private final Counter hub;

    /** @param hub the engine's counter role: all the total needs */
    public RunningTotal(Counter hub) {
        this.hub = hub;
    }

    public CounterChange add(long amount) {
        return hub.add(TOPIC, amount);
    }

    /**
     * One producer's additions (a connection's): pipelined to the engine in the order made, at most
     * {@code depth} on their way at once, so a producer never waits a round trip per addition and a
     * flooder's additions wait on its own connection, not in an unbounded queue.
     */
    public Producer producer(int depth, java.time.Duration wait) {
        return new Producer(depth, wait);
    }

    public final class Producer {
        private final java.util.concurrent.Semaphore onTheirWay;
        private final java.time.Duration wait;

        private Producer(int depth, java.time.Duration wait) {
            this.onTheirWay = new java.util.concurrent.Semaphore(depth);
            this.wait = wait;
        }

        /**
         * Adds; {@code done} gets the change, or the failure ({@link dev.socketworks.hub.EngineUnavailableException}),
         * on the engine's thread. Returns false, having added nothing, when {@code depth} additions
         * stayed on their way for {@code wait} (the engine is that slow).
         */
        public boolean add(long amount, java.util.function.BiConsumer<CounterChange, Throwable> done) throws InterruptedException {
            if (!onTheirWay.tryAcquire(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return false;
            }
            hub.addLater(TOPIC, amount).whenComplete((change, failure) -> {
                onTheirWay.release();
                done.accept(change, failure);
            });
            return true;
        }
    }

    /**
     * The total now and its sequence number: the first message a watch gets, the watch closed at once
     * (a read the engine's counter role offers no other way, and one a backend makes rarely).
     */
    public TotalMessage now() {
        java.util.concurrent.atomic.AtomicReference<Message> first = new java.util.concurrent.atomic.AtomicReference<>();
        Hub.Subscription watching = hub.watch(TOPIC, new Subscriber() {
            @Override
            public void deliver(Message message) {
                first.compareAndSet(null, message);
            }

            @Override
            public void flush() {
            }
        });
        watching.close();
        Message now = first.get();
        if (now == null) {
            throw new IllegalStateException("the engine's watch gave no current total");
        }
        return new TotalMessage("total", Long.parseLong(now.text()), now.offset());
    }

    /** Subscribes; the subscriber's first message is the current total (its text is the decimal total). */
    public Hub.Subscription join(Subscriber subscriber) {
        return hub.watch(TOPIC, subscriber);
    }
}
