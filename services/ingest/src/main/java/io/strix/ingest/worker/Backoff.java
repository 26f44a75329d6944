package io.strix.ingest.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential reconnect delays with full jitter, capped; reset once a stream delivers again. */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt: uniform in [ceiling/2, ceiling], ceiling doubling up to the cap. */
    Duration next() {
        long ceiling = Math.min(maxMillis, initialMillis << Math.min(attempt, 30));
        attempt++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.nextDouble() * (ceiling - half)));
    }

    void reset() {
        attempt = 0;
    }
}
