package io.strix.app.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders bench runs as markdown tables (what {@code strix bench} prints) and as JSON ({@code --json}). */
final class BenchTables {
    private BenchTables() {
    }

    static String markdown(Machine machine, BenchCommand.Plan plan, List<RunReport> runs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "End to end: camsim cameras → ingest → detector → aggregator → "
                + "WebSocket client, embedded broker, one process; warm-up %d s after the first tracks arrived, "
                + "then %d s measured.%n", plan.warmup().toSeconds(), plan.window().toSeconds()));
        out.append("Machine: ").append(machine.describe()).append(".\n\n");
        out.append("| cameras | fps/camera | captured fps | published fps | detected fps | detected fps/camera "
                + "| skipped % | p50 ms | p95 ms | p99 ms | detections p50 ms | WS updates | CPU %/camera "
                + "| process CPU % | others' CPU % | load | sustained |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunReport r : runs) {
            out.append(String.format(Locale.ROOT,
                    "| %d | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %d | %d | %d | %d | %d | %.0f | %.0f | %.0f | %.2f "
                            + "| %s |%n",
                    r.cameras(), r.fps(), r.capturedFps(), r.publishedFps(), r.detectedFps(),
                    r.detectedFpsPerCamera(), r.skippedPercent(), r.p50Millis(), r.p95Millis(), r.p99Millis(),
                    r.detectionsP50Millis(), r.updates(), r.cpuPercentPerCamera(), 100 * r.cpuSeconds() / r.seconds(),
                    r.otherCpuPercent(), r.loadAverage(),
                    r.sustained() ? "yes" : r.camerasOnTime() ? "no" : "no (cameras behind)"));
        }
        out.append('\n');
        Optional<RunReport> most = mostSustained(runs);
        out.append(String.format(Locale.ROOT,
                "Most cameras sustained with < 1%% skipped: %s (camera counts tried: %s).%n",
                most.map(r -> r.cameras() + " at " + r.fps() + " fps").orElse("none"),
                String.join(", ", runs.stream().map(r -> Integer.toString(r.cameras())).toList())));
        out.append("\nPer camera:\n\n");
        out.append("| cameras | camera | published fps | detected fps | skipped % | WS updates | p50 ms | p99 ms |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (RunReport r : runs) {
            for (RunReport.CameraReport c : r.perCamera()) {
                long captured = c.published() + c.ingestDropped();
                double skipped = captured == 0 ? 0
                        : Math.min(100, 100.0 * (c.ingestDropped() + c.detectorSkipped()) / captured);
                out.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %d | %d | %d |%n",
                        r.cameras(), c.cameraId(), c.published() / r.seconds(), c.detected() / r.seconds(), skipped,
                        c.updates(), c.p50Millis(), c.p99Millis()));
            }
        }
        return out.toString();
    }

    /** The run with the most cameras that was sustained, when every run with fewer cameras was sustained too. */
    static Optional<RunReport> mostSustained(List<RunReport> runs) {
        RunReport best = null;
        for (RunReport r : runs.stream().sorted(java.util.Comparator.comparingInt(RunReport::cameras)).toList()) {
            if (!r.sustained()) {
                break;
            }
            best = r;
        }
        return Optional.ofNullable(best);
    }

    static JsonObject json(Machine machine, BenchCommand.Plan plan, List<RunReport> runs) {
        JsonArray rows = new JsonArray();
        for (RunReport r : runs) {
            JsonArray cameras = new JsonArray();
            for (RunReport.CameraReport c : r.perCamera()) {
                cameras.add(new JsonObject().put("cameraId", c.cameraId()).put("published", c.published())
                        .put("ingestDropped", c.ingestDropped()).put("detected", c.detected())
                        .put("detectorSkipped", c.detectorSkipped()).put("updates", c.updates())
                        .put("p50Millis", c.p50Millis()).put("p99Millis", c.p99Millis()));
            }
            rows.add(new JsonObject()
                    .put("cameras", r.cameras()).put("fps", r.fps()).put("seconds", r.seconds())
                    .put("captured", r.captured()).put("published", r.published())
                    .put("ingestDropped", r.ingestDropped()).put("detected", r.detected())
                    .put("detectorSkipped", r.detectorSkipped())
                    .put("capturedFps", r.capturedFps()).put("publishedFps", r.publishedFps())
                    .put("detectedFps", r.detectedFps()).put("detectedFpsPerCamera", r.detectedFpsPerCamera())
                    .put("skippedPercent", r.skippedPercent())
                    .put("latencyMillis", new JsonObject().put("p50", r.p50Millis()).put("p95", r.p95Millis())
                            .put("p99", r.p99Millis()).put("updates", r.updates())
                            .put("toDetectionsP50", r.detectionsP50Millis())
                            .put("toDetectionsP99", r.detectionsP99Millis()))
                    .put("cpuSeconds", r.cpuSeconds()).put("cpuPercentPerCamera", r.cpuPercentPerCamera())
                    .put("otherCpuPercent", r.otherCpuPercent()).put("loadAverage", r.loadAverage())
                    .put("camerasOnTime", r.camerasOnTime())
                    .put("sustained", r.sustained()).put("perCamera", cameras));
        }
        return new JsonObject()
                .put("machine", new JsonObject().put("cpuModel", machine.cpuModel()).put("cores", machine.cores())
                        .put("memoryGiB", machine.memoryGiB()).put("java", machine.java()))
                .put("warmupSeconds", plan.warmup().toSeconds()).put("windowSeconds", plan.window().toSeconds())
                .put("mostSustainedCameras", mostSustained(runs).map(RunReport::cameras).orElse(0))
                .put("runs", rows);
    }
}
