package dev.socketworks.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PenaltiesTest {

    @Test
    void aPenaltyLastsItsTimeAndAllowsOneConnectionPerInterval() {
        Penalties penalties = new Penalties(1000, 100);
        assertThat(penalties.mayConnect("a", 0)).isTrue();
        penalties.penalize("a", 0);
        assertThat(penalties.isPenalized("a", 999)).isTrue();
        assertThat(penalties.isPenalized("b", 999)).isFalse();
        assertThat(penalties.mayConnect("a", 99)).isFalse();
        assertThat(penalties.mayConnect("a", 100)).isTrue();
        assertThat(penalties.mayConnect("a", 150)).as("the interval's one connection is taken").isFalse();
        assertThat(penalties.mayConnect("a", 200)).isTrue();
        assertThat(penalties.isPenalized("a", 1000)).isFalse();
        assertThat(penalties.mayConnect("a", 1001)).isTrue();
    }

    @Test
    void theListIsBoundedDroppingTheOldestPenalty() {
        Penalties penalties = new Penalties(1000, 100);
        for (int i = 0; i <= Penalties.MAX_ADDRESSES; i++) {
            penalties.penalize("10.0." + i, 0);
        }
        assertThat(penalties.isPenalized("10.0.0", 1)).isFalse();
        assertThat(penalties.isPenalized("10.0." + Penalties.MAX_ADDRESSES, 1)).isTrue();
    }
}
