package io.strix.ingest.worker;

import java.time.Duration;

/**
 * How a camera worker connects and when it gives up on a stream.
 *
 * @param readTimeout   how long a connect or a read may block before it fails
 * @param stallTimeout  a camera connected (or connecting) without delivering a picture this long is STALLED
 * @param queueCapacity frames waiting for Kafka per camera; beyond it the oldest are dropped
 */
public record WorkerSettings(Duration readTimeout, Duration stallTimeout, Duration initialBackoff, Duration maxBackoff,
                             int queueCapacity, int maxInFlight) {
    public static WorkerSettings defaults() {
        return new WorkerSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofSeconds(30), 8, 4);
    }
}
