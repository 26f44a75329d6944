package io.strix.it.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.AggregatorService;
import io.strix.common.config.Config;
import io.strix.ingest.IngestMain;
import io.strix.ingest.IngestService;
import io.strix.ingest.source.Sources;
import io.strix.it.KafkaFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad requests against the real ingest and aggregator HTTP servers: REST calls with malformed JSON, wrong types,
 * missing fields, huge bodies, unknown ids and wrong methods get a 4xx with a JSON error that names the problem
 * (never a 500, never a stack trace), and bad WebSocket traffic gets an error message or a clean close with a
 * reason. Afterwards the servers answer as before, and other WebSocket clients never notice.
 */
class BadRequestsIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    static Path stateDir;
    static IngestService ingest;
    static AggregatorService aggregator;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A request and what its answer must be: the status, and words the JSON error must contain. */
    record Bad(String method, String path, String body, int status, String names) {
    }

    @BeforeAll
    static void start() throws Exception {
        stateDir = Files.createTempDirectory("strix-bad-requests");
        Map<String, String> common = Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "http.port", "0",
                "topic.partitions", "2");
        Map<String, String> ingestSettings = new LinkedHashMap<>(common);
        ingestSettings.put("ingest.instance.id", "bad-requests");
        ingest = new IngestService(IngestMain.settings(Config.of(IngestMain.command().keys(), ingestSettings)),
                Sources.factory());
        ingest.start();
        Map<String, String> aggregatorSettings = new LinkedHashMap<>(common);
        aggregatorSettings.putAll(Map.of("aggregator.application.id", "bad-requests",
                "aggregator.instance.id", "bad-requests", "aggregator.state.dir", stateDir.toString()));
        aggregator = new AggregatorService(AggregatorMain.settings(Config.of(AggregatorMain.command().keys(),
                aggregatorSettings)));
        aggregator.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> aggregator.streams().state()
                == KafkaStreams.State.RUNNING && aggregator.feed().caughtUp());
    }

    @AfterAll
    static void stop() throws Exception {
        if (aggregator != null) {
            aggregator.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (stateDir != null) {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void cameraApiAnswersBadRequestsWithAJsonErrorNamingTheProblem() throws Exception {
        String url = "\"url\": \"rtsp://10.0.0.6/live\"";
        List<Bad> bad = new ArrayList<>(malformedBodies("POST", "/api/cameras"));
        bad.addAll(List.of(
                new Bad("POST", "/api/cameras", "{\"cameraId\": {\"id\": 5}, " + url + "}", 400, "cameraId"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"x\", \"url\": [\"rtsp://h/a\"]}", 400, "url"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"x\", " + url + ", \"targetFps\": \"fast\"}", 400,
                        "targetFps"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"x\", " + url + ", \"targetFps\": 1e400}", 400,
                        "targetFps"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"x\", " + url + ", \"maxWidth\": 99999999999}",
                        400, "maxWidth"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"x\", " + url + ", \"enabled\": \"maybe\"}", 400,
                        "enabled"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"x\", " + url + ", \"options\": [1, 2]}", 400,
                        "options"),
                new Bad("POST", "/api/cameras", "{" + url + "}", 400, "cameraId"),
                new Bad("POST", "/api/cameras", "{\"cameraId\": \"../../etc\", " + url + "}", 400, "cameraId"),
                new Bad("PUT", "/api/cameras/" + "x".repeat(2_000), "{" + url + "}", 400, "cameraId"),
                new Bad("GET", "/api/cameras/" + "x".repeat(2_000), null, 404, "no camera"),
                new Bad("DELETE", "/api/cameras/nobody", null, 404, "nobody"),
                new Bad("PATCH", "/api/cameras/x", "{}", 405, "PATCH"),
                new Bad("DELETE", "/api/cameras", null, 405, "DELETE"),
                new Bad("POST", "/api/cameras/x", "{" + url + "}", 405, "POST"),
                new Bad("GET", "/api/nothing-here", null, 404, "/api/nothing-here")));
        assertAnswers(ingest.httpPort(), bad);

        assertThat(send(ingest.httpPort(), "GET", "/api/cameras", null).statusCode()).isEqualTo(200);
        assertThat(send(ingest.httpPort(), "GET", "/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> created = send(ingest.httpPort(), "POST", "/api/cameras",
                "{\"cameraId\": \"after-bad-requests\", " + url + ", \"enabled\": false}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void rulesAndStateApisAnswerBadRequestsWithAJsonErrorNamingTheProblem() throws Exception {
        String zone = "{\"id\": \"z\", \"polygon\": [{\"x\": 0.1, \"y\": 0.1}, {\"x\": 0.5, \"y\": 0.1}, "
                + "{\"x\": 0.5, \"y\": 0.5}]}";
        List<Bad> bad = new ArrayList<>(malformedBodies("POST", "/api/rules"));
        bad.addAll(malformedBodies("PUT", "/api/rules/cam-1"));
        bad.addAll(List.of(
                new Bad("PUT", "/api/rules/cam-1", "{\"zones\": \"everywhere\"}", 400, "zones"),
                new Bad("PUT", "/api/rules/cam-1", "{\"zones\": [{\"id\": 7, \"polygon\": 3}]}", 400,
                        "zones[0].polygon"),
                new Bad("PUT", "/api/rules/cam-1", "{\"zones\": [" + zone.replace("0.5, \"y\": 0.5", "1e400, "
                        + "\"y\": 0.5") + "]}", 400, "zones[0].polygon"),
                new Bad("PUT", "/api/rules/cam-1", "{\"dwellRules\": [{\"id\": \"d\", \"zoneId\": \"nowhere\", "
                        + "\"minDwellSeconds\": -1}]}", 400, "dwellRules[0]"),
                new Bad("PUT", "/api/rules/cam-1", "{\"countRules\": [{\"id\": \"c\", \"zoneId\": \"z\"}]}", 400,
                        "countRules[0].minCount"),
                new Bad("PUT", "/api/rules/cam-1", "{\"zones\": [" + zone + "], \"zonez\": []}", 400, "zonez"),
                new Bad("POST", "/api/rules", "{\"zones\": []}", 400, "cameraId"),
                new Bad("POST", "/api/rules", "{\"cameraId\": [\"cam-1\"]}", 400, "cameraId"),
                new Bad("PUT", "/api/rules/" + "c".repeat(2_000), "{}", 400, "cameraId"),
                new Bad("PUT", "/api/rules/cam-1", "{\"zones\": [" + String.join(", ",
                        java.util.Collections.nCopies(3_000, zone)) + "]}", 413, "256 KiB"),
                new Bad("GET", "/api/rules/nobody", null, 404, "nobody"),
                new Bad("DELETE", "/api/rules/nobody", null, 404, "nobody"),
                new Bad("GET", "/api/tracks/nobody", null, 404, "nobody"),
                new Bad("PATCH", "/api/rules/cam-1", "{}", 405, "PATCH"),
                new Bad("DELETE", "/api/rules", null, 405, "DELETE"),
                new Bad("POST", "/api/tracks/cam-1", "{}", 405, "POST"),
                new Bad("PUT", "/api/incidents/cam-1", "{}", 405, "PUT"),
                new Bad("GET", "/api/nothing-here", null, 404, "/api/nothing-here")));
        assertAnswers(aggregator.httpPort(), bad);

        assertThat(send(aggregator.httpPort(), "GET", "/api/rules", null).statusCode()).isEqualTo(200);
        HttpResponse<String> created = send(aggregator.httpPort(), "PUT", "/api/rules/after-bad-requests",
                "{\"zones\": [" + zone + "]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(send(aggregator.httpPort(), "GET", "/api/incidents/after-bad-requests", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void webSocketErrorsAreAnsweredAndOtherClientsNeverNotice() throws Exception {
        int port = aggregator.httpPort();
        try (RawWebSocket bystander = RawWebSocket.connect(port); RawWebSocket client = RawWebSocket.connect(port)) {
            bystander.await(m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
            client.await(m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));

            client.send(RawWebSocket.BINARY, new byte[] {1, 2, 3}, true);
            assertThat(client.await(m -> m.getString("type").equals("error"), Duration.ofSeconds(5))
                    .getString("message")).contains("binary messages are not understood");

            client.sendText("{\"op\": \"subscribe\", \"id\": 3, \"cameras\": [\"no-such-camera\"]}");
            JsonObject subscribed = client.await(m -> m.getString("type").equals("subscribed"),
                    Duration.ofSeconds(5));
            assertThat(subscribed.getJsonArray("unknownCameras")).containsExactly("no-such-camera");

            client.sendText("{\"op\": \"fly\", \"id\": \"" + "x".repeat(30_000) + "\"}");
            assertThat(client.await(m -> m.getString("type").equals("error"), Duration.ofSeconds(5))
                    .getString("message")).contains("unknown op 'fly'");
            client.sendText("{\"op\": \"" + "y".repeat(60_000) + "\"}");
            assertThat(client.await(m -> m.getString("type").equals("error"), Duration.ofSeconds(5))
                    .getString("message")).hasSizeLessThan(1_000).contains("unknown op");

            // A subscription grows to at most 10000 cameras per stream, however often a client asks.
            for (int round = 0; round < 3; round++) {
                JsonArray cameras = new JsonArray();
                for (int i = 0; i < 4_000; i++) {
                    cameras.add("c" + round + "-" + i);
                }
                client.sendText(new JsonObject().put("op", "subscribe").put("id", round).put("cameras", cameras)
                        .put("streams", new JsonArray().add("alerts")).encode());
                JsonObject answer = client.await(m -> m.getString("type").matches("subscribed|error"),
                        Duration.ofSeconds(5));
                if (round < 2) {
                    assertThat(answer.getString("type")).isEqualTo("subscribed");
                } else {
                    assertThat(answer.getString("message")).contains("at most 10000 cameras per stream");
                }
            }
            client.sendText("{\"op\": \"ping\", \"id\": \"still-here\"}");
            client.await(m -> m.getString("type").equals("pong") && "still-here".equals(m.getString("id")),
                    Duration.ofSeconds(5));

            // A message larger than the server takes (64 KiB a frame): closed with 1009 and a reason as soon as
            // its header says so.
            client.sendFrameStart(RawWebSocket.TEXT, 300_000, new byte[0]);
            RawWebSocket.Message close = client.awaitClose(Duration.ofSeconds(10));
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1009);
            assertThat(close.text()).contains("Max frame length of 65536");

            bystander.sendText("{\"op\": \"ping\", \"id\": \"bystander\"}");
            bystander.await(m -> m.getString("type").equals("pong"), Duration.ofSeconds(5));
        }
    }

    @Test
    void webSocketProtocolViolationsCloseTheConnectionWithAReason() throws Exception {
        int port = aggregator.httpPort();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("unmasked", "close 1002 received a frame that is not masked as expected");
        expected.put("unknown opcode", "close 1002 data frame using reserved opcode 3");
        // Vert.x reads invalid UTF-8 leniently (as U+FFFD): the text is no JSON object, the client is told so.
        expected.put("invalid UTF-8", "{\"type\":\"error\",\"id\":null,\"message\":\"not a JSON object: the "
                + "message is a string\"}; still open");
        try (RawWebSocket bystander = RawWebSocket.connect(port)) {
            bystander.await(m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
            Map<String, String> outcomes = new LinkedHashMap<>();
            for (String violation : expected.keySet()) {
                try (RawWebSocket client = RawWebSocket.connect(port)) {
                    client.await(m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
                    switch (violation) {
                        case "unmasked" -> client.send(RawWebSocket.TEXT, new byte[0], false);
                        case "unknown opcode" -> client.send(0x3, new byte[0], true);
                        default -> client.send(RawWebSocket.TEXT, new byte[] {'"', (byte) 0xC3, 0x28, '"'}, true);
                    }
                    outcomes.put(violation, client.outcome(Duration.ofSeconds(2)));
                }
            }
            assertThat(outcomes).isEqualTo(expected);
            bystander.sendText("{\"op\": \"ping\", \"id\": \"bystander\"}");
            bystander.await(m -> m.getString("type").equals("pong"), Duration.ofSeconds(5));
        }
    }

    /**
     * A client that floods requests and never reads the answers is cut (4009, too many unread replies) once its
     * connection is full; a client beside it is answered throughout.
     */
    @Test
    void aClientThatFloodsWithoutReadingIsCutWhileOthersAreServed() throws Exception {
        int port = aggregator.httpPort();
        JsonArray cameras = new JsonArray();
        for (int i = 0; i < 2_500; i++) {
            cameras.add("flood-camera-" + i);
        }
        String big = new JsonObject().put("op", "subscribe").put("cameras", cameras)
                .put("streams", new JsonArray().add("tracks")).encode();
        try (RawWebSocket other = RawWebSocket.connect(port); RawWebSocket flood = RawWebSocket.connect(port, 4096)) {
            other.await(m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
            for (int i = 0; i < 2_000 && !cutForReplies(port); i++) {
                flood.sendText(big); // each answer lists the 2500 cameras: the flooder's socket fills fast
                if (i % 20 == 0) {
                    other.sendText("{\"op\": \"ping\", \"id\": " + i + "}");
                    int id = i;
                    other.await(m -> m.getString("type").equals("pong") && m.getInteger("id") == id,
                            Duration.ofSeconds(5));
                }
            }
            RawWebSocket.Message close = flood.awaitClose(Duration.ofSeconds(30));
            assertThat(close).as("a close frame after the answers it never read").isNotNull();
            assertThat(close.closeCode()).isEqualTo(4009);
            assertThat(close.text()).contains("too many unread replies");
            other.sendText("{\"op\": \"ping\", \"id\": \"after\"}");
            other.await(m -> m.getString("type").equals("pong"), Duration.ofSeconds(5));
        }
    }

    private boolean cutForReplies(int port) throws Exception {
        return java.util.regex.Pattern.compile("strix_ws_disconnects_total\\{.*reason=\"replies\".*} [1-9]")
                .matcher(send(port, "GET", "/metrics", null).body()).find();
    }

    /** Bodies that are no JSON object: every write endpoint refuses them alike. */
    private static List<Bad> malformedBodies(String method, String path) {
        return List.of(
                new Bad(method, path, "{\"cameraId\": ", 400, "JSON"),
                new Bad(method, path, "[1, 2]", 400, "JSON object"),
                new Bad(method, path, "\"cam-1\"", 400, "JSON object"),
                new Bad(method, path, "null", 400, "JSON"),
                new Bad(method, path, "", 400, "JSON"),
                new Bad(method, path, "[".repeat(50_000), 400, "JSON"),
                new Bad(method, path, "{\"a\": \"\u0000\\ud800\"}", 400, ""));
    }

    private void assertAnswers(int port, List<Bad> requests) throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (Bad bad : requests) {
            HttpResponse<String> answer = send(port, bad.method(), bad.path(), bad.body());
            String what = bad.method() + " " + shorten(bad.path()) + " " + shorten(String.valueOf(bad.body()))
                    + " -> " + answer.statusCode() + " " + shorten(answer.body());
            softly.assertThat(answer.statusCode()).as(what).isEqualTo(bad.status());
            softly.assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(what)
                    .startsWith("application/json");
            JsonObject body;
            try {
                body = new JsonObject(answer.body());
            } catch (RuntimeException e) {
                softly.fail(what + ": the answer is not a JSON object");
                continue;
            }
            softly.assertThat(body.getString("error")).as(what).isNotBlank();
            softly.assertThat(body.encode()).as(what).contains(bad.names())
                    .doesNotContain("Exception", "\tat ", "io.vertx", "io.strix");
        }
        softly.assertAll();
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "... (" + text.length() + " characters)";
    }
}
