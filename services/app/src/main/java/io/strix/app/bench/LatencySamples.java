package io.strix.app.bench;

import java.util.Arrays;
import java.util.Collection;

/** Latencies in milliseconds, kept whole so that percentiles are exact (a bench run holds at most a few 100k). */
final class LatencySamples {
    private long[] values = new long[256];
    private int size;

    void add(long millis) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = millis;
    }

    int count() {
        return size;
    }

    /** All samples of these, in one. */
    static LatencySamples merged(Collection<LatencySamples> parts) {
        LatencySamples all = new LatencySamples();
        for (LatencySamples part : parts) {
            for (int i = 0; i < part.size; i++) {
                all.add(part.values[i]);
            }
        }
        return all;
    }

    /**
     * The nearest-rank percentile: the smallest sample that at least {@code percent}% of the samples do not exceed;
     * -1 without samples.
     */
    long percentile(double percent) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }
}
