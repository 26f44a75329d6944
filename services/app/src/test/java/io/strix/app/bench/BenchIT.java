package io.strix.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.app.StrixMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `strix bench` as a user runs it, shortened: one camera through the whole pipeline, a report with sane figures. */
class BenchIT {

    @Test
    void oneCameraBenchReportsFramesOrderedLatenciesAndSkippedShare(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        StringWriter err = new StringWriter();
        int code = StrixMain.launcher(new PrintWriter(new StringWriter()), new PrintWriter(err)).run(new String[] {
            "bench", "--cameras", "1", "--fps", "3", "--warmup", "2", "--seconds", "6", "--json", json.toString()});
        assertThat(code).as(err.toString()).isZero();

        JsonObject results = new JsonObject(Files.readString(json));
        assertThat(results.getJsonObject("machine").getInteger("cores")).isPositive();
        assertThat(results.getJsonArray("runs")).hasSize(1);
        JsonObject run = results.getJsonArray("runs").getJsonObject(0);
        assertThat(run.getInteger("cameras")).isEqualTo(1);
        assertThat(run.getLong("captured")).isPositive();
        assertThat(run.getLong("published")).isPositive();
        assertThat(run.getLong("detected") + run.getLong("detectorSkipped")).isPositive();

        JsonObject latency = run.getJsonObject("latencyMillis");
        assertThat(latency.getLong("updates")).as("tracks messages over the WebSocket").isPositive();
        assertThat(latency.getLong("p50")).isNotNegative();
        assertThat(latency.getLong("p50")).isLessThanOrEqualTo(latency.getLong("p95"));
        assertThat(latency.getLong("p95")).isLessThanOrEqualTo(latency.getLong("p99"));
        assertThat(latency.getLong("toDetectionsP50")).as("frames read back from strix.detections").isNotNegative();

        assertThat(run.getDouble("skippedPercent")).isBetween(0.0, 100.0);
        assertThat(run.getDouble("cpuPercentPerCamera")).isPositive();
        assertThat(run.getJsonArray("perCamera")).hasSize(1);
        assertThat(run.getJsonArray("perCamera").getJsonObject(0).getString("cameraId")).isEqualTo("street");
    }
}
