package io.strix.app.bench;

import io.strix.app.demo.DemoSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One measurement: starts the demo's system (embedded broker, N camsim cameras, ingest, detector, aggregator) fresh,
 * connects a WebSocket client to the gateway, waits for the first tracks to arrive, lets it warm up, then measures
 * one window and stops everything.
 */
final class EndToEndRun {
    private static final Logger LOG = LoggerFactory.getLogger(EndToEndRun.class);
    /** Starting the broker, loading the model and the first Kafka Streams rebalance take well under this. */
    private static final Duration FIRST_UPDATE_TIMEOUT = Duration.ofMinutes(3);

    /** What to measure. */
    record Settings(int cameras, int fps, Duration warmup, Duration window, Optional<Path> model) {
    }

    private EndToEndRun() {
    }

    static RunReport measure(Settings settings) throws Exception {
        LOG.info("Starting {} cameras at {} fps", settings.cameras(), settings.fps());
        try (DemoSystem system = DemoSystem.start(new DemoSystem.Options(settings.cameras(), settings.fps(), 0,
                settings.model(), Optional.empty()));
             TrackUpdateWatcher watcher = TrackUpdateWatcher.connect(system.httpPort(), System::currentTimeMillis);
             DetectionTally tally = new DetectionTally(system.bootstrapServers())) {
            // Ctrl-C: stop the parts and delete the broker's temporary log rather than leave them behind.
            Thread stopOnSignal = new Thread(system::close, "bench-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            try {
                return measure(settings, system, watcher, tally);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnSignal);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // the hook runs
                }
            }
        }
    }

    private static RunReport measure(Settings settings, DemoSystem system, TrackUpdateWatcher watcher,
                                     DetectionTally tally) throws Exception {
        Failure failure = new Failure(system, watcher);
        system.onFailure(() -> failure.partFailed = true);
        if (!watcher.awaitFirstUpdate(FIRST_UPDATE_TIMEOUT)) {
            failure.check();
            throw new IllegalStateException("No tracks reached the WebSocket within "
                    + FIRST_UPDATE_TIMEOUT.toMinutes() + " minutes of the start");
        }
        LOG.info("Tracks arrive over the WebSocket; warming up for {} s", settings.warmup().toSeconds());
        failure.sleep(settings.warmup());

        watcher.startRecording();
        tally.startRecording();
        PipelineCounters before = PipelineCounters.read(system);
        LOG.info("Measuring for {} s", settings.window().toSeconds());
        failure.sleep(settings.window());
        PipelineCounters after = PipelineCounters.read(system);
        Map<String, LatencySamples> latencies = watcher.stopRecording();
        Map<String, DetectionTally.Counts> counts = tally.stopRecording();
        double load = Machine.loadAverage();
        failure.check();
        RunReport report = report(settings, system.cameraIds(), before, after, latencies, counts, load);
        LOG.info("{} cameras: {} frames captured, {} detected, {}% skipped, p50 {} ms, p99 {} ms",
                report.cameras(), report.captured(), report.detected(), Math.round(report.skippedPercent()),
                report.p50Millis(), report.p99Millis());
        return report;
    }

    private static RunReport report(Settings settings, List<String> cameraIds, PipelineCounters before,
                                    PipelineCounters after, Map<String, LatencySamples> latencies,
                                    Map<String, DetectionTally.Counts> counts, double load) {
        double seconds = (after.wallNanos() - before.wallNanos()) / 1e9;
        List<RunReport.CameraReport> perCamera = new ArrayList<>();
        long published = 0;
        long dropped = 0;
        for (String camera : cameraIds) {
            long cameraPublished = Math.round(after.published(camera) - before.published(camera));
            long cameraDropped = Math.round(after.dropped(camera) - before.dropped(camera));
            published += cameraPublished;
            dropped += cameraDropped;
            LatencySamples samples = latencies.getOrDefault(camera, new LatencySamples());
            DetectionTally.Counts tally = counts.getOrDefault(camera,
                    new DetectionTally.Counts(0, 0, new LatencySamples()));
            perCamera.add(new RunReport.CameraReport(camera, cameraPublished, cameraDropped, tally.detected(),
                    tally.skipped(), samples.count(), samples.percentile(50), samples.percentile(99)));
        }
        long frames = Math.round(after.detectorFrames() - before.detectorFrames());
        long skipped = Math.round(after.detectorSkipped() - before.detectorSkipped());
        LatencySamples all = LatencySamples.merged(latencies.values());
        LatencySamples toDetections = LatencySamples.merged(counts.values().stream()
                .map(DetectionTally.Counts::latencies).toList());
        double cpuSeconds = (after.cpuNanos() - before.cpuNanos()) / 1e9;
        double otherCpuSeconds = before.machineBusySeconds() < 0 || after.machineBusySeconds() < 0 ? -1
                : Math.max(0, after.machineBusySeconds() - before.machineBusySeconds() - cpuSeconds);
        return new RunReport(settings.cameras(), settings.fps(), seconds, published + dropped, published, dropped,
                Math.max(0, frames - skipped), skipped, all.count(), all.percentile(50), all.percentile(95),
                all.percentile(99), toDetections.percentile(50), toDetections.percentile(99), cpuSeconds,
                otherCpuSeconds, Runtime.getRuntime().availableProcessors(), load, perCamera);
    }

    /** Stops a run early, with the reason, when a part of the system or the WebSocket fails. */
    private static final class Failure {
        private final DemoSystem system;
        private final TrackUpdateWatcher watcher;
        private volatile boolean partFailed;

        Failure(DemoSystem system, TrackUpdateWatcher watcher) {
            this.system = system;
            this.watcher = watcher;
        }

        void check() {
            if (partFailed) {
                Throwable cause = system.detector().failure() != null ? system.detector().failure()
                        : system.aggregator().fatalError().orElse(null);
                throw new IllegalStateException("A part of the pipeline failed: " + cause, cause);
            }
            if (watcher.failure() != null) {
                throw new IllegalStateException("The WebSocket client failed: " + watcher.failure(),
                        watcher.failure());
            }
        }

        /** Sleeps this long, checking every second that everything still runs. */
        void sleep(Duration duration) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            while (true) {
                check();
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        }
    }
}
