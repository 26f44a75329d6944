package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job as a user runs it: `strix demo` from the real jar, the whole pipeline, a clean stop. */
class DemoIT {
    private static final Path JAR = Path.of(System.getProperty("strix.app.jar", "../services/app/target/strix.jar"));
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoServesTheDashboardTracksCamerasAndStopsByItself(@TempDir Path dir) throws Exception {
        Process demo = new ProcessBuilder("java", "-jar", JAR.toString(), "demo", "--cameras", "2", "--fps", "2",
                "--duration", "75", "--http-port", "0").redirectError(dir.resolve("demo.log").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).get(120, TimeUnit.SECONDS);
            assertThat(first).as("see " + dir.resolve("demo.log")).startsWith("Dashboard at http://localhost:");
            String base = first.substring("Dashboard at ".length()).strip();

            HttpResponse<String> page = get(base);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<html");
            assertThat(get(base + "health/ready").statusCode()).isEqualTo(200);

            // Frames flow from the sim cameras through ingest, the detector and the tracker.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long frameSeq = -1;
            while (frameSeq < 5 && System.nanoTime() < deadline) {
                HttpResponse<String> tracks = get(base + "api/tracks/street");
                if (tracks.statusCode() == 200) {
                    frameSeq = new JsonObject(tracks.body()).getLong("frameSeq", -1L);
                }
                Thread.sleep(500); // polling the REST API for a condition
            }
            assertThat(frameSeq).as("track snapshots of camera street arrive").isGreaterThanOrEqualTo(5);
            JsonObject rules = new JsonObject(get(base + "api/rules/street").body());
            assertThat(rules.encode()).contains("near-sidewalk").contains("road-line");
        } finally {
            assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("demo stops after --duration").isTrue();
        }
        assertThat(demo.exitValue()).isZero();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
