package dev.socketworks.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Each topic's turn on the engine's delivery pool: in order, one at a time, topics apart, bounded. */
class SerialQueuesTest {

    private final List<SerialQueues> pools = new ArrayList<>();
    private final CountDownLatch letGo = new CountDownLatch(1);

    @AfterEach
    void stop() {
        letGo.countDown();
        pools.forEach(SerialQueues::shutdown);
    }

    private SerialQueues pool(int threads, int maxWaiting) {
        SerialQueues pool = new SerialQueues("test-delivery", threads, maxWaiting);
        pools.add(pool);
        return pool;
    }

    private void blocked() {
        try {
            letGo.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aQueueRunsItsTasksInTheOrderGivenOneAtATime() throws Exception {
        SerialQueues.Queue queue = pool(4, 100_000).queue();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(10_000);
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            assertThat(queue.execute(() -> {
                if (running.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                ran.add(n);
                running.decrementAndGet();
                done.countDown();
            })).isTrue();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps).hasValue(0);
        assertThat(ran).hasSize(10_000).isSorted();
    }

    @Test
    void aQueueBlockedInATaskDelaysNoOtherQueue() throws Exception {
        SerialQueues pool = pool(2, 100);
        SerialQueues.Queue waitingForTheEngine = pool.queue();
        SerialQueues.Queue other = pool.queue();
        CountDownLatch entered = new CountDownLatch(1);
        waitingForTheEngine.execute(() -> {
            entered.countDown();
            blocked();
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch delivered = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            other.execute(delivered::countDown);
        }
        assertThat(delivered.await(10, TimeUnit.SECONDS)).as("the other queue's tasks ran").isTrue();
    }

    /** With every thread taken, maxWaiting tasks wait; one more is dropped and counted, and nothing waiting is lost. */
    @Test
    void pastMaxWaitingATaskIsDroppedAndCounted() throws Exception {
        SerialQueues pool = pool(1, 5);
        CountDownLatch entered = new CountDownLatch(1);
        pool.queue().execute(() -> {
            entered.countDown();
            blocked();
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch ran = new CountDownLatch(5);
        List<SerialQueues.Queue> queues = List.of(pool.queue(), pool.queue());
        for (int i = 0; i < 5; i++) {
            assertThat(queues.get(i % 2).execute(ran::countDown)).as("waiting task %d", i).isTrue();
        }
        assertThat(queues.get(0).execute(ran::countDown)).as("the sixth").isFalse();
        assertThat(pool.dropped()).isEqualTo(1);

        letGo.countDown();
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the five waiting ran").isTrue();
        assertThat(queues.get(1).execute(() -> { })).as("room again").isTrue();
    }
}
