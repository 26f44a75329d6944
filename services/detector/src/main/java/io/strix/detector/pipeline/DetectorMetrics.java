package io.strix.detector.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.strix.schema.SkipReason;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detector's own metrics: frames published (and a frames/s gauge over the last 10 s), batch sizes, time per
 * stage per batch (p50 and p99 published), skips by reason, dead letters, capture-to-published latency and consumer
 * lag. In Prometheus they are {@code strix_detector_*}.
 */
public final class DetectorMetrics {
    /** The stages of a batch, each timed per batch. */
    public enum Stage { DECODE, PREPROCESS, INFER, POSTPROCESS, PRODUCE }

    private static final int WINDOW_SECONDS = 10;

    private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
    private final Map<SkipReason, Counter> skips = new EnumMap<>(SkipReason.class);
    private final Counter frames;
    private final Counter deadLettersAvro;
    private final Counter deadLettersImage;
    private final DistributionSummary batchSize;
    private final Timer frameLatency;
    private final AtomicLong consumerLag = new AtomicLong();
    private final long[] perSecond = new long[WINDOW_SECONDS + 1];
    private final long[] secondOf = new long[WINDOW_SECONDS + 1];

    public DetectorMetrics(MeterRegistry registry) {
        for (Stage stage : Stage.values()) {
            stages.put(stage, Timer.builder("strix.detector.stage")
                    .description("Time a batch spends in a stage of the detector")
                    .tag("stage", stage.name().toLowerCase(Locale.ROOT))
                    .publishPercentiles(0.5, 0.99)
                    .register(registry));
        }
        for (SkipReason reason : SkipReason.values()) {
            skips.put(reason, Counter.builder("strix.detector.skipped")
                    .description("Frames published as skipped, by reason")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        frames = Counter.builder("strix.detector.frames").description("Frames whose FrameDetections were published")
                .register(registry);
        deadLettersAvro = Counter.builder("strix.detector.dead.letters").tag("reason", "undecodable-record")
                .description("Records sent to strix.dlq").register(registry);
        deadLettersImage = Counter.builder("strix.detector.dead.letters").tag("reason", "undecodable-image")
                .description("Records sent to strix.dlq").register(registry);
        batchSize = DistributionSummary.builder("strix.detector.batch.size")
                .description("Frames per inference batch").publishPercentiles(0.5, 0.99).register(registry);
        frameLatency = Timer.builder("strix.detector.frame.latency")
                .description("From a frame's capture to its detections being committed")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("strix.detector.consumer.lag", consumerLag, AtomicLong::get)
                .description("Frames in the assigned strix.frames partitions not yet read").register(registry);
        Gauge.builder("strix.detector.frames.per.second", this, DetectorMetrics::framesPerSecond)
                .description("Frames published per second over the last 10 s").register(registry);
    }

    public void record(Stage stage, long nanos) {
        stages.get(stage).record(nanos, TimeUnit.NANOSECONDS);
    }

    public Timer stage(Stage stage) {
        return stages.get(stage);
    }

    public void skipped(SkipReason reason) {
        skips.get(reason).increment();
    }

    public double skips(SkipReason reason) {
        return skips.get(reason).count();
    }

    public void deadLetter(boolean imageOnly) {
        (imageOnly ? deadLettersImage : deadLettersAvro).increment();
    }

    public void batch(int frames) {
        batchSize.record(frames);
    }

    public DistributionSummary batchSize() {
        return batchSize;
    }

    /** Frames whose records were committed, each with its capture-to-commit latency. */
    public void published(int count, long nowMillis, long[] captureMillis) {
        frames.increment(count);
        for (long capture : captureMillis) {
            frameLatency.record(Duration.ofMillis(Math.max(0, nowMillis - capture)));
        }
        long second = nowMillis / 1000;
        synchronized (perSecond) {
            int slot = (int) (second % perSecond.length);
            if (secondOf[slot] != second) {
                secondOf[slot] = second;
                perSecond[slot] = 0;
            }
            perSecond[slot] += count;
        }
    }

    public double frames() {
        return frames.count();
    }

    public void consumerLag(long frames) {
        consumerLag.set(frames);
    }

    double framesPerSecond() {
        long now = System.currentTimeMillis() / 1000;
        long total = 0;
        synchronized (perSecond) {
            for (int i = 0; i < perSecond.length; i++) {
                // The complete seconds of the window; the current one is still filling.
                if (secondOf[i] < now && secondOf[i] >= now - WINDOW_SECONDS) {
                    total += perSecond[i];
                }
            }
        }
        return total / (double) WINDOW_SECONDS;
    }
}
