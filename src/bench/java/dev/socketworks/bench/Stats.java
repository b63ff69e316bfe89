package dev.socketworks.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles by the nearest-rank method, and the median used to combine repetitions. */
final class Stats {

    private Stats() {
    }

    /** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
    static double percentile(long[] samples, int count, double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted[rank(count, p)];
    }

    static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[rank(sorted.length, p)];
    }

    private static int rank(int count, double p) {
        int rank = (int) Math.ceil(p / 100.0 * count);
        return Math.min(count, Math.max(1, rank)) - 1;
    }

    /** The median of the repetitions' values, ignoring those that produced no value. */
    static double median(List<Double> values) {
        double[] present = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).toArray();
        if (present.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(present);
        int middle = present.length / 2;
        return present.length % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }
}
