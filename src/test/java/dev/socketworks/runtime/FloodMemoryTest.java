package dev.socketworks.runtime;

import dev.socketworks.inbound.RateLimit;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FloodMemoryTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateLimit fresh() {
        return new RateLimit(10, 20, 1_000_000, 1000, now::get);
    }

    /** A first connection from {@code address} that used its whole burst of 20, and no more. */
    private RateLimit burstSpent(FloodMemory memory, String address) {
        RateLimit first = memory.budgetFor(address, now.get(), this::fresh);
        for (int i = 0; i < 20; i++) {
            assertThat(first.take(1)).isEqualTo(RateLimit.Verdict.ALLOWED);
        }
        return first;
    }

    @Test
    void aConnectionThatNeverWentOverLeavesNothingBehind() {
        FloodMemory memory = new FloodMemory(20_000_000_000L, 2_000_000_000L);
        RateLimit first = burstSpent(memory, "a");
        memory.closed("a", first, now.get());
        assertThat(memory.budgetFor("a", now.get(), this::fresh)).isNotSameAs(first);
    }

    @Test
    void aReconnectionContinuesFromTheBudgetAnOverTheLimitConnectionLeft() {
        FloodMemory memory = new FloodMemory(20_000_000_000L, 2_000_000_000L);
        RateLimit first = burstSpent(memory, "a");
        assertThat(first.take(1)).isEqualTo(RateLimit.Verdict.REFUSED);
        memory.closed("a", first, now.get());

        RateLimit second = memory.budgetFor("a", now.get(), this::fresh);
        assertThat(second).isSameAs(first);
        assertThat(second.take(1)).as("no fresh burst for the same address").isEqualTo(RateLimit.Verdict.REFUSED);
        RateLimit other = memory.budgetFor("b", now.get(), this::fresh);
        assertThat(other.take(1)).isEqualTo(RateLimit.Verdict.ALLOWED);

        memory.closed("a", second, now.get());
        now.addAndGet(20_000_000_000L); // forgotten: it would have refilled by now anyway
        assertThat(memory.budgetFor("a", now.get(), this::fresh).take(1)).isEqualTo(RateLimit.Verdict.ALLOWED);
    }

    @Test
    void aPenalizedAddressMayConnectOncePerIntervalUntilItsPenaltyEnds() {
        FloodMemory memory = new FloodMemory(1000, 100);
        assertThat(memory.mayConnect("a", 0)).isTrue();
        memory.penalize("a", 0);
        assertThat(memory.mayConnect("a", 99)).isFalse();
        assertThat(memory.mayConnect("b", 99)).isTrue();
        assertThat(memory.mayConnect("a", 100)).isTrue();
        assertThat(memory.mayConnect("a", 150)).as("the interval's one connection is taken").isFalse();
        assertThat(memory.mayConnect("a", 200)).isTrue();
        assertThat(memory.mayConnect("a", 1000)).isTrue();
        assertThat(memory.mayConnect("a", 1001)).as("penalty over").isTrue();
    }

    @Test
    void eachListIsBoundedDroppingTheOldest() {
        FloodMemory memory = new FloodMemory(1000, 100);
        for (int i = 0; i <= FloodMemory.MAX_ADDRESSES; i++) {
            memory.penalize("10.0." + i, 0);
        }
        assertThat(memory.mayConnect("10.0.0", 1)).isTrue();
        assertThat(memory.mayConnect("10.0." + FloodMemory.MAX_ADDRESSES, 1)).isFalse();
    }
}
