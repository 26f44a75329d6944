package io.strix.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsExponentiallyWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), new Random(7));
        long[] ceilings = {500, 1000, 2000, 4000, 8000, 8000, 8000};
        for (long ceiling : ceilings) {
            assertThat(backoff.next().toMillis()).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void resetStartsOverAfterASuccess() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new Random(1));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();
        assertThat(backoff.next().toMillis()).isBetween(250L, 500L);
    }

    @Test
    void jitterSpreadsReconnectsOfManyCameras() {
        Backoff a = new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(4), new Random(1));
        Backoff b = new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(4), new Random(2));
        assertThat(a.next()).isNotEqualTo(b.next());
    }
}
