package io.strix.ingest.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/** A camera's meters, tagged with its id; never its URL. */
final class CameraMetrics {
    final Counter decoded;
    final Counter published;
    final Counter droppedQueueFull;
    final Counter sendFailed;
    final Counter reconnects;
    final Timer decodeTime;
    final Timer encodeTime;
    final AtomicLong lastFrameNanos = new AtomicLong(System.nanoTime());
    private final RateWindow publishedRate = new RateWindow();

    CameraMetrics(MeterRegistry registry, String cameraId) {
        decoded = Counter.builder("strix.ingest.frames.decoded").tag("camera", cameraId)
                .description("Pictures decoded from the stream").register(registry);
        published = Counter.builder("strix.ingest.frames.published").tag("camera", cameraId)
                .description("Frames written to strix.frames").register(registry);
        droppedQueueFull = Counter.builder("strix.ingest.frames.dropped").tag("camera", cameraId)
                .tag("reason", "queue_full").description("Frames dropped because Kafka could not keep up")
                .register(registry);
        sendFailed = Counter.builder("strix.ingest.frames.dropped").tag("camera", cameraId)
                .tag("reason", "send_failed").description("Frames the producer failed to write").register(registry);
        reconnects = Counter.builder("strix.ingest.reconnects").tag("camera", cameraId).register(registry);
        decodeTime = Timer.builder("strix.ingest.decode").tag("camera", cameraId)
                .description("Time to read and decode one picture").register(registry);
        encodeTime = Timer.builder("strix.ingest.encode").tag("camera", cameraId)
                .description("Time to JPEG-encode one sampled frame").register(registry);
        Gauge.builder("strix.ingest.fps", publishedRate, RateWindow::perSecond).tag("camera", cameraId)
                .description("Frames published per second, last 10 s").register(registry);
        Gauge.builder("strix.ingest.last.frame.age.seconds", lastFrameNanos,
                        t -> (System.nanoTime() - t.get()) / 1e9).tag("camera", cameraId)
                .description("Seconds since the last published frame").register(registry);
    }

    void onPublished() {
        published.increment();
        publishedRate.mark();
        lastFrameNanos.set(System.nanoTime());
    }

    float fps() {
        return (float) publishedRate.perSecond();
    }

    /** Events per second over the last 10 seconds. */
    static final class RateWindow {
        private static final long WINDOW_NANOS = 10_000_000_000L;
        private final java.util.ArrayDeque<Long> times = new java.util.ArrayDeque<>();

        synchronized void mark() {
            long now = System.nanoTime();
            times.addLast(now);
            trim(now);
        }

        synchronized double perSecond() {
            long now = System.nanoTime();
            trim(now);
            return times.size() / (WINDOW_NANOS / 1e9);
        }

        private void trim(long now) {
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
                times.removeFirst();
            }
        }
    }
}
