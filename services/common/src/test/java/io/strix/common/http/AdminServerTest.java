package io.strix.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strix.common.metrics.Metrics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Map<String, String>> problems = new AtomicReference<>(Map.of());
    private Vertx vertx;
    private PrometheusMeterRegistry registry;
    private AdminServer server;
    private int port;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        registry = Metrics.registry("test");
        server = new AdminServer(vertx, 0, registry, problems::get, Optional.of("s3cret"));
        server.router().get("/api/echo").handler(ctx -> ctx.response().end("hello"));
        server.router().route("/api/body").handler(AdminServer.bodyHandler(1024));
        server.router().post("/api/body").handler(ctx -> {
            try {
                ctx.response().end(JsonBody.object(ctx, "a greeting").encode());
            } catch (JsonBody.NotAnObjectException e) {
                ctx.response().setStatusCode(400).end(e.getMessage());
            }
        });
        server.router().get("/api/broken").handler(ctx -> {
            throw new IllegalStateException("secret internals");
        });
        port = server.start().await();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().await();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void livenessIsUpWithoutToken() throws Exception {
        HttpResponse<String> response = get("/health/live");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("UP");
    }

    @Test
    void readinessFollowsItsChecks() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        problems.set(Map.of("kafka", "broker unreachable"));
        HttpResponse<String> down = get("/health/ready");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("DOWN").contains("broker unreachable");
    }

    @Test
    void metricsArePrometheusTextWithJvmMetrics() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("service=\"test\"");
    }

    /**
     * Java's HttpClient (like other HTTP/2 clients) asks every new connection to upgrade to h2c. Vert.x's upgrade
     * garbled large first answers now and then (8 of 150 scrapes of 235 kB failed with "Frame type(110) length(7104869)
     * exceeds MAX_FRAME_SIZE"), so the server stays on HTTP/1.1 and every scrape arrives whole.
     */
    @Test
    void largeScrapesArriveWholeOnFreshConnectionsOfHttp2Clients() throws Exception {
        for (int i = 0; i < 3_000; i++) {
            registry.counter("strix_test_per_camera", "camera", "flood-camera-" + i).increment();
        }
        for (int client = 0; client < 40; client++) {
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.version()).as("the server declines the h2c upgrade")
                    .isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("camera=\"flood-camera-0\"").contains("camera=\"flood-camera-2999\"");
        }
    }

    @Test
    void apiRequiresTheTokenWhenOneIsSet() throws Exception {
        HttpResponse<String> none = get("/api/echo");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("API token required");
        assertThat(get("/api/echo", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/echo", "Authorization", "Bearer s3cret").body()).isEqualTo("hello");
        assertThat(get("/api/echo?access_token=s3cret").body()).isEqualTo("hello");
    }

    @Test
    void webSocketPathsRequireTheTokenToo() throws Exception {
        assertThat(get("/ws").statusCode()).isEqualTo(401);
    }

    @Test
    void whatGoesWrongIsAnsweredInJsonWithoutInternals() throws Exception {
        String[] token = {"Authorization", "Bearer s3cret"};
        assertJsonError(get("/api/nothing", token), 404, "nothing at GET /api/nothing");
        assertJsonError(send("DELETE", "/api/echo", null), 405, "DELETE /api/echo: the method is not allowed");
        assertJsonError(send("POST", "/api/body", "{\"a\": \"" + "x".repeat(2000) + "\"}"), 413,
                "larger than 1 KiB");
        HttpResponse<String> broken = get("/api/broken", token);
        assertJsonError(broken, 500, "internal error");
        assertThat(broken.body()).doesNotContain("secret internals").doesNotContain("Exception");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void jsonBodiesThatAreNoObjectAreNamedForWhatTheyAre() throws Exception {
        assertThat(send("POST", "/api/body", "{\"hi\": 1}").body()).isEqualTo("{\"hi\":1}");
        assertThat(send("POST", "/api/body", "[1]").body()).isEqualTo("the body is an array; it must be a JSON object: "
                + "a greeting");
        assertThat(send("POST", "/api/body", "\"hi\"").body()).startsWith("the body is a string;");
        assertThat(send("POST", "/api/body", "null").body()).startsWith("the body is null;");
        assertThat(send("POST", "/api/body", "").body()).startsWith("the body is empty;");
        assertThat(send("POST", "/api/body", "{\"hi\": ").body()).startsWith("the body is not valid JSON (")
                .doesNotContain("io.vertx");
        assertThat(send("POST", "/api/body", "[".repeat(1_000)).body()).startsWith("the body is not valid JSON (");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer s3cret")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(new io.vertx.core.json.JsonObject(response.body()).getString("error")).contains(message);
    }
}
