package io.strix.aggregator.it;

import static io.strix.aggregator.it.ItSupport.http;
import static io.strix.aggregator.it.ItSupport.key;
import static io.strix.aggregator.it.ItSupport.read;
import static io.strix.aggregator.it.ItSupport.send;
import static io.strix.aggregator.stream.Records.frame;
import static io.strix.aggregator.stream.Records.personAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strix.aggregator.AggregatorService;
import io.strix.aggregator.gateway.GatewayLimits;
import io.strix.aggregator.http.StateQueryApi;
import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.FrameDetections;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.DeadLetters;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two aggregator instances of one application on a real broker: detections in, tracks, alerts and dead letters out;
 * the rules API; queries answered by the instance that owns the camera; the WebSocket gateway with its API token,
 * subscriptions, malformed messages and a client that never reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AggregatorIT {
    private static final String TOKEN = "it-secret";
    private static final String DOOR_RULES = """
            {"zones": [{"id": "door", "name": "Door", "filter": {"classes": ["person"]},
              "polygon": [{"x": 0.4, "y": 0.4}, {"x": 0.8, "y": 0.4}, {"x": 0.8, "y": 0.8}, {"x": 0.4, "y": 0.8}]}]}
            """;

    private final String app = "it-aggregator-" + System.nanoTime();
    private AggregatorService a;
    private AggregatorService b;
    private Path stateDir;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    void start() throws Exception {
        stateDir = Files.createTempDirectory("strix-aggregator-it");
        GatewayLimits limits = new GatewayLimits(512, 8L * 1024 * 1024, Duration.ofSeconds(3), 10);
        a = new AggregatorService(ItSupport.settings(app, "a", stateDir.resolve("a"), Optional.of(TOKEN), limits));
        b = new AggregatorService(ItSupport.settings(app, "b", stateDir.resolve("b"), Optional.of(TOKEN), limits));
        a.start();
        b.start();
        producer = ItSupport.producer();
        await().atMost(Duration.ofSeconds(60)).until(() -> a.streams().state() == KafkaStreams.State.RUNNING
                && b.streams().state() == KafkaStreams.State.RUNNING
                && a.feed().caughtUp() && b.feed().caughtUp());
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        ItSupport.deleteTree(stateDir);
    }

    @Test
    void turnsDetectionsIntoTracksAndIncidentAlertsAndGarbageIntoDeadLetters() throws Exception {
        String cam = "it-door";
        HttpResponse<String> put = http("PUT", a.httpPort(), "/api/rules/" + cam, TOKEN, DOOR_RULES);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(new JsonObject(put.body()).getLong("version")).isEqualTo(1L);
        // The topology must have the rules before the person arrives: wait until both instances show them.
        await().atMost(Duration.ofSeconds(20)).until(() ->
                http("GET", b.httpPort(), "/api/rules/" + cam, TOKEN, null).statusCode() == 200);

        long seq = 0;
        long t = 0;
        // Walks from the left along y = 0.6 into the zone (0.4..0.8), 5 frames per second.
        for (double x = 0.1; x < 0.6; x += 0.02) {
            detect(frame(cam, ++seq, t, personAt(x, 0.6)));
            t += 200;
        }
        send(producer, Topics.DETECTIONS.name(), cam, "garbage".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 10; i++) {
            detect(frame(cam, ++seq, t, personAt(0.6, 0.6)));
            t += 200;
        }
        // While the person stands in the zone, the incident is open, on whichever instance is asked.
        for (AggregatorService instance : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> open = http("GET", instance.httpPort(), "/api/incidents/" + cam, TOKEN, null);
                assertThat(open.statusCode()).isEqualTo(200);
                JsonArray incidents = new JsonObject(open.body()).getJsonArray("incidents");
                assertThat(incidents).hasSize(1);
                assertThat(incidents.getJsonObject(0).getString("incidentId")).startsWith(cam + "/door/zone-enter/");
            });
        }
        // Then the person is gone for longer than the presence grace.
        for (int i = 0; i < 15; i++) {
            detect(frame(cam, ++seq, t));
            t += 200;
        }
        long frames = seq;

        List<ConsumerRecord<byte[], byte[]>> tracks = read(Topics.TRACKS.name(), key(cam),
                r -> r.size() >= frames, Duration.ofSeconds(30));
        List<TrackSnapshot> snapshots = tracks.stream().map(Topics.TRACKS::decode).toList();
        assertThat(snapshots).extracting(s -> s.getFrame().getFrameSeq())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, frames).boxed().toList());
        assertThat(snapshots.get(5).getTracks()).extracting(tr -> tr.getTrackId()).containsExactly(1L);

        List<Alert> alerts = read(Topics.ALERTS.name(), key(cam),
                r -> r.stream().anyMatch(x -> Topics.ALERTS.decode(x).getPhase() == AlertPhase.ENDED),
                Duration.ofSeconds(30)).stream().map(Topics.ALERTS::decode).toList();
        assertThat(alerts).extracting(Alert::getPhase).startsWith(AlertPhase.STARTED).endsWith(AlertPhase.ENDED);
        assertThat(alerts).extracting(Alert::getIncidentId).containsOnly(alerts.get(0).getIncidentId());
        assertThat(alerts.get(0).getTrackIds()).containsExactly(1L);

        List<ConsumerRecord<byte[], byte[]>> dlq = read(Topics.DLQ.name(), key(cam), r -> !r.isEmpty(),
                Duration.ofSeconds(30));
        assertThat(dlq).hasSize(1);
        assertThat(new String(dlq.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
        assertThat(new String(dlq.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .contains("truncated");

        HttpResponse<String> latest = http("GET", b.httpPort(), "/api/tracks/" + cam, TOKEN, null);
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(latest.body()).getLong("frameSeq")).isEqualTo(frames);
        HttpResponse<String> closed = http("GET", a.httpPort(), "/api/incidents/" + cam, TOKEN, null);
        assertThat(new JsonObject(closed.body()).getJsonArray("incidents")).isEmpty();
    }

    @Test
    void answersQueriesFromTheInstanceThatOwnsTheCamera() throws Exception {
        // One camera on each partition, so that both instances own some.
        List<String> cameras = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; partitions.size() < ItSupport.PARTITIONS; i++) {
            String cam = "it-fwd-" + i;
            if (partitions.add(Utils.toPositive(Utils.murmur2(cam.getBytes(StandardCharsets.UTF_8)))
                    % ItSupport.PARTITIONS)) {
                cameras.add(cam);
            }
        }
        for (String cam : cameras) {
            for (int i = 0; i < 3; i++) {
                detect(frame(cam, i + 1, i * 200L, personAt(0.3, 0.5)));
            }
        }
        Set<String> servedBy = new HashSet<>();
        for (String cam : cameras) {
            for (AggregatorService asked : List.of(a, b)) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> answer = http("GET", asked.httpPort(), "/api/tracks/" + cam, TOKEN, null);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    JsonObject body = new JsonObject(answer.body());
                    assertThat(body.getString("cameraId")).isEqualTo(cam);
                    assertThat(body.getLong("frameSeq")).isEqualTo(3L);
                    assertThat(body.getJsonArray("tracks")).hasSize(1);
                    servedBy.add(answer.headers().firstValue(StateQueryApi.SERVED_BY_HEADER).orElseThrow());
                });
            }
        }
        assertThat(servedBy).containsExactlyInAnyOrder("localhost:" + a.httpPort(), "localhost:" + b.httpPort());
    }

    @Test
    void validatesRulesAndNamesTheFieldThatIsWrong() {
        int port = a.httpPort();
        String bowTie = """
                {"zones": [{"id": "z", "polygon": [{"x": 0.1, "y": 0.1}, {"x": 0.5, "y": 0.5},
                  {"x": 0.5, "y": 0.1}, {"x": 0.1, "y": 0.5}]}]}""";
        assertProblem(http("PUT", port, "/api/rules/it-rules", TOKEN, bowTie), "zones[0].polygon", "intersect");
        assertProblem(http("PUT", port, "/api/rules/it-rules", TOKEN, """
                {"zones": [{"id": "z", "polygon": [{"x": 0.1, "y": "top"}, {"x": 0.5, "y": 0.5}, {"x": 0.1, "y": 0.5}]}]}
                """), "zones[0].polygon[0].y", "must be a number, was 'top'");
        assertProblem(http("PUT", port, "/api/rules/it-rules", TOKEN, """
                {"lines": [{"id": "gate", "a": {"x": 0.1, "y": 0.5}, "b": {"x": 1.5, "y": 0.5}, "direction": "UP"}]}
                """), "lines[0].direction", "'UP' is not one of ANY, LEFT_TO_RIGHT, RIGHT_TO_LEFT");
        assertProblem(http("PUT", port, "/api/rules/it-rules", TOKEN, """
                {"lines": [{"id": "gate", "a": {"x": 0.1, "y": 0.5}, "b": {"x": 1.5, "y": 0.5}}]}
                """), "lines[0].b", "outside the frame");
        assertProblem(http("PUT", port, "/api/rules/it-rules", TOKEN, """
                {"zone": []}"""), "zone", "unknown field");
        assertProblem(http("POST", port, "/api/rules", TOKEN, DOOR_RULES), "cameraId", "missing");
        assertProblem(http("PUT", port, "/api/rules/it-rules", TOKEN, """
                {"cameraId": "other", "zones": []}"""), "cameraId", "must be 'it-rules' or left out");
        assertThat(http("PUT", port, "/api/rules/it-rules", TOKEN, "{not json").statusCode()).isEqualTo(400);

        assertThat(http("GET", port, "/api/rules/it-rules", TOKEN, null).statusCode()).isEqualTo(404);
        HttpResponse<String> created = http("POST", port, "/api/rules", TOKEN,
                new JsonObject(DOOR_RULES).put("cameraId", "it-rules").encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(http("POST", port, "/api/rules", TOKEN,
                new JsonObject(DOOR_RULES).put("cameraId", "it-rules").encode()).statusCode()).isEqualTo(409);
        HttpResponse<String> replaced = http("PUT", port, "/api/rules/it-rules", TOKEN, DOOR_RULES);
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonObject stored = new JsonObject(replaced.body());
        assertThat(stored.getLong("version")).isEqualTo(2L);
        assertThat(stored.getJsonArray("zones").getJsonObject(0).getJsonObject("filter").getJsonArray("classes"))
                .containsExactly("person");
        assertThat(new JsonObject(http("GET", port, "/api/rules/it-rules", TOKEN, null).body())).isEqualTo(stored);
        assertThat(new JsonObject(http("GET", port, "/api/rules", TOKEN, null).body()).getJsonArray("rules"))
                .contains(stored);
        assertThat(http("DELETE", port, "/api/rules/it-rules", TOKEN, null).statusCode()).isEqualTo(204);
        assertThat(http("GET", port, "/api/rules/it-rules", TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(http("DELETE", port, "/api/rules/it-rules", TOKEN, null).statusCode()).isEqualTo(404);
    }

    @Test
    void requiresTheApiTokenForRestAndWebSockets() throws Exception {
        int port = a.httpPort();
        assertThat(http("GET", port, "/api/rules", null, null).statusCode()).isEqualTo(401);
        assertThat(http("GET", port, "/api/rules", "wrong", null).statusCode()).isEqualTo(401);
        assertThat(http("GET", port, "/api/rules", TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(http("GET", port, "/health/live", null, null).statusCode()).isEqualTo(200);
        assertThat(http("GET", port, "/", null, null).body()).contains("<title>Strix");

        assertThat(handshakeStatus(() -> WsClient.connect(port, ""))).isEqualTo(401);
        assertThat(handshakeStatus(() -> WsClient.connect(port, "?access_token=wrong"))).isEqualTo(401);
        try (WsClient client = WsClient.connect(port, "?access_token=" + TOKEN)) {
            JsonObject hello = client.await(0, m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
            assertThat(hello.getInteger("protocol")).isEqualTo(1);
            assertThat(hello.getJsonArray("streams")).containsExactly("tracks", "alerts", "status", "preview", "rules");
        }
    }

    @Test
    void pushesSubscribedStreamsOfSubscribedCamerasOnly() throws Exception {
        String cam = "it-ws";
        try (WsClient client = WsClient.connect(b.httpPort(), "?access_token=" + TOKEN)) {
            client.await(0, m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
            client.send(new JsonObject().put("op", "subscribe").put("id", 7).put("cameras", new JsonArray().add(cam)));
            JsonObject ack = client.await(0, m -> m.getString("type").equals("subscribed"), Duration.ofSeconds(5));
            assertThat(ack.getInteger("id")).isEqualTo(7);
            assertThat(ack.getJsonObject("subscription").getJsonArray("tracks")).containsExactly(cam);

            send(producer, Topics.CAMERA_STATUS, cam, ItSupport.streaming(cam, 5f));
            JsonObject status = client.await(0, m -> m.getString("type").equals("status"), Duration.ofSeconds(10));
            assertThat(status.getString("cameraId")).isEqualTo(cam);
            assertThat(status.getString("state")).isEqualTo("STREAMING");

            byte[] jpeg = ItSupport.jpeg(1);
            send(producer, Topics.FRAMES, cam, ItSupport.frame(cam, 1, Instant.now(), jpeg));
            client.awaitBinaries(1, Duration.ofSeconds(10));
            byte[] preview = client.binaries().get(0);
            JsonObject header = WsClient.previewHeader(preview);
            assertThat(header.getString("type")).isEqualTo("preview");
            assertThat(header.getString("cameraId")).isEqualTo(cam);
            assertThat(header.getLong("frameSeq")).isEqualTo(1L);
            int headerLength = java.nio.ByteBuffer.wrap(preview, 0, 4).getInt();
            assertThat(java.util.Arrays.copyOfRange(preview, 4 + headerLength, preview.length)).isEqualTo(jpeg);

            detect(frame("it-ws-other", 1, 0, personAt(0.3, 0.5)));
            detect(frame(cam, 1, 0, personAt(0.3, 0.5)));
            JsonObject tracks = client.await(0, m -> m.getString("type").equals("tracks"), Duration.ofSeconds(10));
            assertThat(tracks.getString("cameraId")).isEqualTo(cam);
            assertThat(tracks.getLong("frameSeq")).isEqualTo(1L);

            assertThat(http("PUT", a.httpPort(), "/api/rules/" + cam, TOKEN, DOOR_RULES).statusCode()).isEqualTo(201);
            JsonObject rules = client.await(0, m -> m.getString("type").equals("rules"), Duration.ofSeconds(10));
            assertThat(rules.getJsonObject("rules").getJsonArray("zones").getJsonObject(0).getString("id"))
                    .isEqualTo("door");

            int mark = client.mark();
            client.send(new JsonObject().put("op", "unsubscribe").put("cameras", new JsonArray().add(cam))
                    .put("streams", new JsonArray().add("tracks")));
            JsonObject after = client.await(mark, m -> m.getString("type").equals("unsubscribed"),
                    Duration.ofSeconds(5));
            assertThat(after.getJsonObject("subscription").containsKey("tracks")).isFalse();
            detect(frame(cam, 2, 200, personAt(0.31, 0.5)));
            read(Topics.TRACKS.name(), key(cam), r -> r.size() >= 2, Duration.ofSeconds(10));
            send(producer, Topics.CAMERA_STATUS, cam, ItSupport.streaming(cam, 4f));
            client.await(mark, m -> m.getString("type").equals("status") && m.getDouble("fps") == 4.0,
                    Duration.ofSeconds(10));
            assertThat(client.texts()).noneMatch(m -> "it-ws-other".equals(m.getString("cameraId")));
            assertThat(client.texts().subList(mark, client.mark()))
                    .noneMatch(m -> m.getString("type").equals("tracks"));
        }
    }

    @Test
    void answersMalformedMessagesWithAnErrorAndKeepsTheConnection() throws Exception {
        try (WsClient client = WsClient.connect(a.httpPort(), "?access_token=" + TOKEN)) {
            client.await(0, m -> m.getString("type").equals("hello"), Duration.ofSeconds(5));
            List<String> bad = List.of("not json", "[1, 2]", "{\"op\": \"fly\"}", "{\"cameras\": \"*\"}",
                    "{\"op\": \"subscribe\", \"cameras\": 5}",
                    "{\"op\": \"subscribe\", \"cameras\": \"*\", \"streams\": [\"video\"]}",
                    "{\"op\": \"subscribe\", \"cameras\": [\"\"]}");
            List<String> expected = List.of("not a JSON object", "not a JSON object", "unknown op 'fly'",
                    "missing field 'op'", "'cameras' must be", "unknown stream 'video'", "non-empty strings");
            for (int i = 0; i < bad.size(); i++) {
                int mark = client.mark();
                client.send(bad.get(i));
                JsonObject error = client.await(mark, m -> m.getString("type").equals("error"),
                        Duration.ofSeconds(5));
                assertThat(error.getString("message")).as(bad.get(i)).contains(expected.get(i));
            }
            int mark = client.mark();
            client.send("{\"op\": \"ping\", \"id\": \"p1\"}");
            assertThat(client.await(mark, m -> m.getString("type").equals("pong"), Duration.ofSeconds(5))
                    .getString("id")).isEqualTo("p1");
            assertThat(client.closeCode()).isNull();
        }
    }

    /**
     * A client that never reads fills its socket, then its queue (the oldest messages go), and is disconnected once
     * it has lagged for the limit (3 s here); a client on the same instance meanwhile gets every message.
     */
    @Test
    void cutsAClientThatNeverReadsWhileOthersGetEverything() throws Exception {
        List<String> cameras = List.of("it-slow-0", "it-slow-1", "it-slow-2", "it-slow-3");
        JsonObject subscribe = new JsonObject().put("op", "subscribe")
                .put("cameras", new JsonArray(new ArrayList<>(cameras))).put("streams", new JsonArray()
                        .add("tracks").add("preview"));
        int port = a.httpPort();
        int before = a.hub().clientCount();
        try (WsClient fast = WsClient.connect(port, "?access_token=" + TOKEN);
             Socket slow = rawWebSocket(port, subscribe.encode())) {
            fast.send(subscribe);
            fast.await(0, m -> m.getString("type").equals("subscribed"), Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.hub().clientCount() == before + 2);

            // Big pictures, so the never-reading client's socket and queue fill within a few seconds.
            byte[] picture = new byte[200 * 1024];
            new Random(1).nextBytes(picture);
            int frames = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            while (a.hub().clientCount() > before + 1 && System.nanoTime() < deadline) {
                frames++;
                for (String cam : cameras) {
                    send(producer, Topics.FRAMES, cam, ItSupport.frame(cam, frames, Instant.now(), picture));
                    detect(frame(cam, frames, frames * 100L, personAt(0.3, 0.5)));
                }
                Thread.sleep(50);
            }
            assertThat(a.hub().clientCount()).as("the slow client was disconnected").isEqualTo(before + 1);
            String metrics = http("GET", port, "/metrics", null, null).body();
            assertThat(metrics).containsPattern("strix_ws_disconnects_total\\{.*reason=\"slow\".*} 1\\.0");
            assertThat(metrics).containsPattern("strix_ws_messages_dropped_total\\{.*} [1-9]");

            // The fast client got every snapshot of every camera, in order, and was never told of a drop.
            int total = frames;
            for (String cam : cameras) {
                fast.await(0, m -> m.getString("type").equals("tracks") && cam.equals(m.getString("cameraId"))
                        && m.getLong("frameSeq") == total, Duration.ofSeconds(20));
                List<Long> seqs = fast.texts().stream().filter(m -> m.getString("type").equals("tracks")
                        && cam.equals(m.getString("cameraId"))).map(m -> m.getLong("frameSeq")).toList();
                assertThat(seqs).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
            }
            assertThat(fast.texts()).noneMatch(m -> m.getString("type").equals("dropped"));
            assertThat(fast.closeCode()).isNull();
            assertThat(fast.binaryCount()).isPositive();
        }
    }

    /** A WebSocket client that subscribes and then never reads another byte. */
    private static Socket rawWebSocket(int port, String subscribe) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", port), 5000);
        OutputStream out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("strix-slow-client".getBytes(StandardCharsets.UTF_8));
        out.write(("GET /ws?access_token=" + TOKEN + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (!response.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            response.append((char) c);
        }
        assertThat(response.toString()).startsWith("HTTP/1.1 101");
        // A client's frames are masked (RFC 6455 5.3).
        byte[] payload = subscribe.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
        return socket;
    }

    private void detect(FrameDetections detections) {
        send(producer, Topics.DETECTIONS, detections.getFrame().getCameraId(), detections);
    }

    private static void assertProblem(HttpResponse<String> response, String field, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonArray problems = new JsonObject(response.body()).getJsonArray("problems");
        assertThat(problems).as(response.body()).anySatisfy(p -> {
            JsonObject problem = (JsonObject) p;
            assertThat(problem.getString("field")).isEqualTo(field);
            assertThat(problem.getString("message")).contains(message);
        });
    }

    /** The HTTP status with which the WebSocket handshake was refused. */
    private static int handshakeStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable connect) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(connect);
        for (Throwable e = thrown; e != null; e = e.getCause()) {
            if (e instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
        }
        throw new AssertionError("the handshake did not fail with an HTTP status", thrown);
    }
}
