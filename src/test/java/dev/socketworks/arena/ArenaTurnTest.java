package dev.socketworks.arena;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ArenaTurnTest {

    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        elsewhere.shutdownNow();
        caller.shutdownNow();
    }

    @Test
    void aFreeTurnRunsTheWorkOnTheCallersThread() {
        ArenaTurn turn = new ArenaTurn("t", elsewhere);
        Thread[] ranOn = new Thread[1];
        assertThat(turn.run(() -> ranOn[0] = Thread.currentThread())).isTrue();
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }

    /** A stalled change holds the turn: work waits, in order, up to MAX_WAITING; the next is refused, and nothing is lost. */
    @Test
    void whileTheTurnIsHeldWorkWaitsInOrderUpToItsBoundAndTheNextIsRefused() throws Exception {
        ArenaTurn turn = new ArenaTurn("t", elsewhere);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Future<Boolean> stalled = caller.submit(() -> turn.run(() -> {
            holding.countDown();
            try {
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < ArenaTurn.MAX_WAITING; i++) {
            int n = i;
            assertThat(turn.run(() -> ran.add(n))).as("waiting work %d", i).isTrue();
        }
        assertThat(ran).as("nothing runs past the held turn").isEmpty();
        assertThat(turn.run(() -> ran.add(-1))).as("one more than MAX_WAITING").isFalse();

        letGo.countDown();
        assertThat(stalled.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(ArenaTurn.MAX_WAITING).isSorted().doesNotContain(-1);
    }

    @Test
    void workHandedOffRunsElsewhereNeverOnTheCallersThread() throws Exception {
        ArenaTurn turn = new ArenaTurn("t", elsewhere);
        CountDownLatch done = new CountDownLatch(1);
        Thread[] ranOn = new Thread[1];
        turn.handOff(() -> {
            ranOn[0] = Thread.currentThread();
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn[0]).isNotSameAs(Thread.currentThread());
    }
}
