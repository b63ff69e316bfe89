package dev.socketworks.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // unsorted on purpose
        }
        assertThat(Stats.percentile(samples, 100, 50)).isEqualTo(50);
        assertThat(Stats.percentile(samples, 100, 99)).isEqualTo(99);
        assertThat(Stats.percentile(samples, 100, 100)).isEqualTo(100);
        assertThat(Stats.percentile(samples, 100, 0)).isEqualTo(1);
    }

    @Test
    void onlyTheFilledPartCounts() {
        long[] samples = {5, 1, 3, 0, 0, 0};
        assertThat(Stats.percentile(samples, 3, 50)).isEqualTo(3);
        assertThat(Stats.percentile(samples, 0, 50)).isNaN();
    }

    @Test
    void medianOfRepetitionsSkipsMissingValues() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0))).isEqualTo(2.5);
        assertThat(Stats.median(Arrays.asList(Double.NaN, 7.0, null))).isEqualTo(7.0);
        assertThat(Stats.median(List.of())).isNaN();
    }
}
