package io.strix.app.bench;

import java.util.List;

/**
 * What one measured window of {@code strix bench} found: frames through each stage, capture → WebSocket latency
 * percentiles and CPU, for N cameras at F fps.
 *
 * @param captured        frames the cameras' ingest workers sampled in the window: published + dropped
 * @param detected        frames the detector committed as detected (not skipped)
 * @param detectorSkipped frames the detector committed as skipped (over its latency budget)
 * @param updates         tracks messages the WebSocket client received
 * @param p50Millis       capture → WebSocket latency percentiles over those messages; -1 without any
 * @param detectionsP50Millis capture → detections readable in strix.detections (committed): the part of the latency
 *                        before the aggregator; -1 without any
 * @param cpuSeconds      process CPU time in the window (broker, every service, the cameras and the bench client)
 * @param otherCpuSeconds CPU time other processes took on this machine in the window (shared machines); -1 where
 *                        unknown
 * @param loadAverage     the machine's 1-minute load average at the window's end; -1 where unknown
 */
record RunReport(int cameras, int fps, double seconds, long captured, long published, long ingestDropped,
                 long detected, long detectorSkipped, long updates, long p50Millis, long p95Millis, long p99Millis,
                 long detectionsP50Millis, long detectionsP99Millis, double cpuSeconds, double otherCpuSeconds,
                 int cores, double loadAverage, List<CameraReport> perCamera) {

    /** One camera's share of the window. */
    record CameraReport(String cameraId, long published, long ingestDropped, long detected, long detectorSkipped,
                        long updates, long p50Millis, long p99Millis) {
    }

    double targetFps() {
        return cameras * (double) fps;
    }

    double capturedFps() {
        return captured / seconds;
    }

    double publishedFps() {
        return published / seconds;
    }

    double detectedFps() {
        return detected / seconds;
    }

    double detectedFpsPerCamera() {
        return detectedFps() / cameras;
    }

    /** Frames ingest dropped plus frames the detector skipped, over frames captured, 0-100. */
    double skippedPercent() {
        if (captured == 0) {
            return 0;
        }
        // A backlog from before the window can make the detector skip more than the window captured.
        return Math.min(100, 100.0 * (ingestDropped + detectorSkipped) / captured);
    }

    /** Process CPU per camera, in % of one core. */
    double cpuPercentPerCamera() {
        return 100 * cpuSeconds / seconds / cameras;
    }

    /** Other processes' CPU in the window, in % of one core; -1 where unknown. */
    double otherCpuPercent() {
        return otherCpuSeconds < 0 ? -1 : 100 * otherCpuSeconds / seconds;
    }

    /** The cameras delivered their frames (within 1%, give or take a frame each at the window's edges). */
    boolean camerasOnTime() {
        return captured >= 0.99 * targetFps() * seconds - cameras;
    }

    /** Sustained: under 1% of the frames skipped, and the cameras did not fall behind. */
    boolean sustained() {
        return skippedPercent() < 1 && camerasOnTime();
    }
}
