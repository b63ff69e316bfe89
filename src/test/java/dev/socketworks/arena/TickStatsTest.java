package dev.socketworks.arena;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TickStatsTest {

    @Test
    void quantilesComeFromTheLastKeptTicksAndTheFullStateIsMeasuredOnlyAtANewHigh() {
        TickStats stats = new TickStats();
        AtomicInteger measured = new AtomicInteger();
        for (int i = 1; i <= 100; i++) {
            stats.record(i * 1_000_000L, i <= 50 ? i : 10, () -> {
                measured.incrementAndGet();
                return "é".repeat(measured.get());
            });
        }
        assertThat(stats.quantileMillis(0.5)).isEqualTo(51.0);
        assertThat(stats.quantileMillis(0.99)).isEqualTo(100.0);
        assertThat(measured).as("once per new largest player count").hasValue(50);
        stats.viewed(3);
        stats.viewed(4);
        assertThat(stats.summary()).contains("100 ticks").contains("at most 50 players").contains("100 bytes")
                .endsWith("others in a player's view 3.5 on average");
        for (int i = 0; i < TickStats.KEPT; i++) {
            stats.record(2_000_000L, 1, () -> "");
        }
        assertThat(stats.quantileMillis(0.99)).as("older ticks fell out of the window").isEqualTo(2.0);
    }
}
