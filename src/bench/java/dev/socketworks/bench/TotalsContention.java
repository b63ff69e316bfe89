package dev.socketworks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * totals-contention: 16 producers, each its own connection and thread, add concurrently to
 * {@code /totals} (text mode) and every one receives every new total. At most 256 adds are ahead of
 * the slowest producer's view, so no client falls past its outbox limit (1,024 messages) and is cut.
 * The final total must equal the first plus every add.
 */
final class TotalsContention {

    private static final int PRODUCERS = 16;
    private static final int IN_FLIGHT = 256;
    private static final String PREFIX = "Current total is ";

    private final int addsEach;

    private TotalsContention(int addsEach) {
        this.addsEach = addsEach;
    }

    static List<Case> cases(boolean quick) {
        TotalsContention run = new TotalsContention(quick ? 500 : 2_000);
        return List.of(new Case("totals-contention", PRODUCERS + " producers x " + run.addsEach + " adds, final total checked",
                t -> t.totals() != null, run::run));
    }

    private final class Producer {
        final int[] values = new int[addsEach];
        final AtomicLong updates = new AtomicLong(-1); // the first message is the current total
        final AtomicLong lastTotal = new AtomicLong();
        final AtomicInteger errors = new AtomicInteger();
        WsClient client;

        Producer(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < addsEach; i++) {
                values[i] = random.nextInt(-1000, 1001);
            }
        }

        void onMessage(String message) {
            if (!message.startsWith(PREFIX)) {
                errors.incrementAndGet();
                return;
            }
            lastTotal.set(Long.parseLong(message.substring(PREFIX.length())));
            updates.incrementAndGet();
            releaseSeen();
        }
    }

    private List<Producer> producers = List.of();
    private final Semaphore inFlight = new Semaphore(0);
    private long released;

    /** Every add the slowest producer has now seen frees one place in flight. */
    private synchronized void releaseSeen() {
        if (producers.isEmpty()) {
            return; // still connecting: the first totals free nothing
        }
        long slowest = slowestView(producers);
        if (slowest > released) {
            inFlight.release((int) (slowest - released));
            released = slowest;
        }
    }

    private static long slowestView(List<Producer> producers) {
        long slowest = Long.MAX_VALUE;
        for (Producer producer : producers) {
            slowest = Math.min(slowest, producer.updates.get());
        }
        return slowest;
    }

    private Map<String, Double> run(Target target) throws Exception {
        List<Producer> producers = new ArrayList<>();
        synchronized (this) {
            this.producers = List.of();
            inFlight.drainPermits();
            released = 0;
        }
        try {
            for (int i = 0; i < PRODUCERS; i++) {
                Producer producer = new Producer(i);
                producer.client = WsClient.open(java.net.URI.create(target.node(i).totals()), (c, m) -> producer.onMessage(m));
                producers.add(producer);
            }
            Poll.until(() -> producers.stream().allMatch(p -> p.updates.get() >= 0), "each producer's first total");
            long initial = producers.get(0).lastTotal.get();
            long sum = 0;
            for (Producer producer : producers) {
                for (int value : producer.values) {
                    sum += value;
                }
                if (producer.lastTotal.get() != initial) {
                    throw new BenchFailure("another client is adding to this /totals; results would not be exact");
                }
            }
            long adds = (long) PRODUCERS * addsEach;
            synchronized (this) {
                this.producers = producers;
                inFlight.release(IN_FLIGHT);
            }
            List<Thread> threads = new ArrayList<>();
            AtomicInteger starved = new AtomicInteger();
            long start = System.nanoTime();
            for (Producer producer : producers) {
                Thread thread = new Thread(() -> {
                    try {
                        for (int value : producer.values) {
                            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                                starved.incrementAndGet(); // totals stopped coming: a producer was cut or the server hangs
                                return;
                            }
                            producer.client.sendText(Integer.toString(value));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "producer");
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            if (starved.get() > 0) {
                throw new BenchFailure("no new total for 30 s; " + starved.get() + " producers gave up");
            }
            Poll.until(() -> producers.stream().allMatch(p -> p.updates.get() >= adds), "every total on every producer");
            double seconds = (System.nanoTime() - start) / 1e9;
            long expected = initial + sum;
            for (Producer producer : producers) {
                if (producer.lastTotal.get() != expected || producer.errors.get() > 0) {
                    throw new BenchFailure("final total " + producer.lastTotal.get() + ", expected " + expected
                            + " (" + producer.errors.get() + " errors)");
                }
            }
            Map<String, Double> figures = Case.figures();
            figures.put("adds/s", adds / seconds);
            figures.put("totals delivered/s", adds * PRODUCERS / seconds);
            return figures;
        } finally {
            producers.forEach(p -> p.client.abort());
        }
    }
}
