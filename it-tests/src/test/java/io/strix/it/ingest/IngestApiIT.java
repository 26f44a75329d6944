package io.strix.it.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.ingest.IngestService;
import io.strix.it.KafkaFixture;
import io.strix.it.RtspServer;
import io.strix.it.TopicWatcher;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The camera REST API writes the registry; the ingest follows it. */
class IngestApiIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    static RtspServer server;
    static IngestService ingest;
    static int port;
    static TopicWatcher<Frame> frames;
    static TopicWatcher<CameraStatus> statuses;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = RtspServer.streaming("640x360", 10).start();
        ingest = IngestTesting.start(KAFKA.bootstrapServers(), "ingest-api", "strix-ingest", List.of());
        port = ingest.httpPort();
        frames = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.FRAMES);
        statuses = new TopicWatcher<>(KAFKA.bootstrapServers(), Topics.CAMERA_STATUS);
    }

    @AfterAll
    static void stop() {
        frames.close();
        statuses.close();
        ingest.close();
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void invalidBodiesGetA400NamingTheField() throws Exception {
        HttpResponse<String> badFps = send("POST", "/api/cameras",
                "{\"cameraId\": \"x\", \"url\": \"rtsp://h/a\", \"targetFps\": 500}");
        assertThat(badFps.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(badFps.body()).getJsonArray("problems").getJsonObject(0).getString("field"))
                .isEqualTo("targetFps");

        HttpResponse<String> badScheme = send("POST", "/api/cameras", "{\"cameraId\": \"x\", \"url\": \"ftp://h/a\"}");
        assertThat(badScheme.statusCode()).isEqualTo(400);
        assertThat(badScheme.body()).contains("\"field\":\"url\"").contains("scheme");

        HttpResponse<String> notJson = send("POST", "/api/cameras", "{cameraId:");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");

        HttpResponse<String> missingUrl = send("POST", "/api/cameras", "{\"cameraId\": \"x\"}");
        assertThat(missingUrl.statusCode()).isEqualTo(400);
        assertThat(missingUrl.body()).contains("\"field\":\"url\"");

        HttpResponse<String> idMismatch = send("PUT", "/api/cameras/a", "{\"cameraId\": \"b\", \"url\": \"rtsp://h/\"}");
        assertThat(idMismatch.statusCode()).isEqualTo(400);
        assertThat(send("DELETE", "/api/cameras/nobody", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/cameras/nobody", null).statusCode()).isEqualTo(404);
    }

    @Test
    void createdCameraStreamsIsListedRedactedAndStopsWhenDeleted() throws Exception {
        String url = server.url().replace("rtsp://", "rtsp://admin:topsecret@");
        HttpResponse<String> created = send("POST", "/api/cameras",
                "{\"cameraId\": \"api-cam\", \"url\": \"" + url + "\", \"targetFps\": 4}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("admin:***@").doesNotContain("topsecret");
        assertThat(send("POST", "/api/cameras", "{\"cameraId\": \"api-cam\", \"url\": \"" + url + "\"}").statusCode())
                .as("a second POST of the same id").isEqualTo(409);

        frames.await(f -> f.getCameraId().equals("api-cam"), Duration.ofSeconds(30), "frames of api-cam");
        HttpResponse<String> list = send("GET", "/api/cameras", null);
        JsonObject camera = new JsonObject(list.body()).getJsonArray("cameras").getJsonObject(0);
        assertThat(camera.getString("cameraId")).isEqualTo("api-cam");
        assertThat(camera.getString("url")).doesNotContain("topsecret");
        assertThat(camera.getJsonObject("status").getString("state")).isEqualTo("STREAMING");

        // The metrics the Grafana dashboard (deploy/grafana/dashboards/strix.json) plots, per camera.
        String metrics = send("GET", "/metrics", null).body();
        assertThat(metrics).contains("strix_ingest_fps{", "strix_ingest_last_frame_age_seconds{",
                "strix_ingest_frames_dropped_total{", "strix_ingest_reconnects_total{",
                "strix_ingest_decode_seconds_count{", "strix_ingest_encode_seconds_count{", "camera=\"api-cam\"");
        assertThat(metrics).doesNotContain("topsecret");

        HttpResponse<String> replaced = send("PUT", "/api/cameras/api-cam", "{\"url\": \"" + url + "\", \"targetFps\": 2}");
        assertThat(replaced.statusCode()).isEqualTo(200);

        assertThat(send("DELETE", "/api/cameras/api-cam", null).statusCode()).isEqualTo(204);
        Instant deleted = Instant.now();
        statuses.await(s -> s.getCameraId().equals("api-cam") && s.getState() == CameraState.STOPPED
                && !s.getUpdatedAt().isBefore(deleted.minusSeconds(1)), Duration.ofSeconds(15), "api-cam STOPPED");
        assertThat(send("GET", "/api/cameras/api-cam", null).statusCode()).isEqualTo(404);
    }
}
