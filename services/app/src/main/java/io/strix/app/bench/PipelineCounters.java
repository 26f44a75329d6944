package io.strix.app.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.strix.app.demo.DemoSystem;
import io.strix.detector.pipeline.DetectorMetrics;
import io.strix.schema.SkipReason;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * The services' own counters at one moment, with the process's CPU time and the wall clock: two of them bracket a
 * measured window. Ingest counts per camera (strix_ingest_frames_published / _dropped), the detector in total
 * (strix_detector_frames, strix_detector_skipped).
 *
 * @param publishedByCamera frames ingest wrote to strix.frames, by camera
 * @param droppedByCamera   frames ingest dropped (queue full: Kafka too slow; or the send failed), by camera
 * @param detectorFrames    frames whose FrameDetections the detector committed, skipped ones included
 * @param detectorSkipped   frames the detector published as skipped (mostly STALE: over its latency budget)
 * @param cpuNanos          CPU time of the whole process (broker, services, cameras and this bench)
 * @param machineBusySeconds CPU time of the whole machine (every process), -1 where unknown
 */
record PipelineCounters(Map<String, Double> publishedByCamera, Map<String, Double> droppedByCamera,
                        double detectorFrames, double detectorSkipped, long cpuNanos, double machineBusySeconds,
                        long wallNanos) {

    static PipelineCounters read(DemoSystem system) {
        MeterRegistry ingest = system.ingest().registry();
        DetectorMetrics detector = system.detector().metrics();
        double skipped = 0;
        for (SkipReason reason : SkipReason.values()) {
            skipped += detector.skips(reason);
        }
        return new PipelineCounters(byCamera(ingest, "strix.ingest.frames.published"),
                byCamera(ingest, "strix.ingest.frames.dropped"), detector.frames(), skipped, processCpuNanos(),
                Machine.busyCpuSeconds(), System.nanoTime());
    }

    private static Map<String, Double> byCamera(MeterRegistry registry, String name) {
        Map<String, Double> counts = new HashMap<>();
        for (Counter counter : registry.find(name).counters()) {
            counts.merge(counter.getId().getTag("camera"), counter.count(), Double::sum);
        }
        return counts;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    double published(String camera) {
        return publishedByCamera.getOrDefault(camera, 0.0);
    }

    double dropped(String camera) {
        return droppedByCamera.getOrDefault(camera, 0.0);
    }
}
