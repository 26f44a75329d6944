package io.strix.ingest.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {
    private static int kept(FrameSampler sampler, double sourceFps, double seconds, double jitterFraction, long seed) {
        Random random = new Random(seed);
        int kept = 0;
        double interval = 1_000_000 / sourceFps;
        for (int i = 0; i < sourceFps * seconds; i++) {
            long t = (long) (i * interval + (random.nextDouble() - 0.5) * jitterFraction * interval);
            if (sampler.accept(Math.max(0, t))) {
                kept++;
            }
        }
        return kept;
    }

    @Test
    void samples25FpsDownTo5ByTimestamps() {
        assertThat(kept(new FrameSampler(5), 25, 60, 0, 1)).isBetween(299, 301);
    }

    @Test
    void keepsTheTargetRateUnderTimestampJitter() {
        assertThat(kept(new FrameSampler(5), 30, 60, 0.3, 2)).isBetween(295, 305);
    }

    @Test
    void sourceSlowerThanTargetKeepsEveryFrame() {
        assertThat(kept(new FrameSampler(10), 4, 10, 0, 3)).isEqualTo(40);
    }

    @Test
    void followsTimestampsNotFrameCounts() {
        // A source that claims 25 fps but delivers 50: counting frames would double the rate.
        FrameSampler sampler = new FrameSampler(5);
        int kept = 0;
        for (int i = 0; i < 500; i++) {
            if (sampler.accept(i * 20_000L)) {
                kept++;
            }
        }
        assertThat(kept).isBetween(49, 51);
    }

    @Test
    void doesNotBurstAfterAGap() {
        FrameSampler sampler = new FrameSampler(5);
        assertThat(sampler.accept(0)).isTrue();
        assertThat(sampler.accept(10_000_000)).isTrue();
        assertThat(sampler.accept(10_040_000)).isFalse();
        assertThat(sampler.accept(10_200_000)).isTrue();
    }

    @Test
    void restartsWhenTheClockGoesBack() {
        FrameSampler sampler = new FrameSampler(5);
        assertThat(sampler.accept(50_000_000)).isTrue();
        assertThat(sampler.accept(1_000)).isTrue();
    }
}
