package io.strix.it.badinput;

import static io.strix.it.badinput.RawRecords.encode;
import static io.strix.it.badinput.RawRecords.header;
import static io.strix.it.badinput.RawRecords.hugeLength;
import static io.strix.it.badinput.RawRecords.truncated;
import static io.strix.it.badinput.RawRecords.unknownFingerprint;
import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.AggregatorService;
import io.strix.common.config.Config;
import io.strix.detector.DetectorMain;
import io.strix.detector.DetectorService;
import io.strix.ingest.IngestMain;
import io.strix.ingest.IngestService;
import io.strix.ingest.source.Sources;
import io.strix.it.KafkaFixture;
import io.strix.it.TopicWatcher;
import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.Box;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.Detection;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.SkipReason;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import io.strix.wire.DeadLetters;
import io.strix.wire.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad records on every topic a service reads, against the real services (ingest, detector with the shipped model,
 * aggregator) on a real broker. Each bad record becomes a dead letter in strix.dlq that names the topic, partition
 * and offset it came from and says why (a frame whose picture is bad is also published as skipped), and the service
 * goes on: a good record sent after the bad ones, on the same partition, is processed as usual.
 */
class BadRecordsIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    static Path stateDir;
    static IngestService ingest;
    static DetectorService detector;
    static AggregatorService aggregator;
    static RawRecords raw;
    static TopicWatcher<FrameDetections> detections;
    static TopicWatcher<TrackSnapshot> tracks;
    static TopicWatcher<Alert> alerts;
    static TopicWatcher<CameraStatus> statuses;
    static byte[] jpeg;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        stateDir = Files.createTempDirectory("strix-bad-records");
        Map<String, String> common = Map.of("bootstrap.servers", bootstrap, "http.port", "0",
                "topic.partitions", "3");
        ingest = new IngestService(IngestMain.settings(Config.of(IngestMain.command().keys(),
                with(common, "ingest.instance.id", "bad-input"))), Sources.factory());
        ingest.start();
        detector = new DetectorService(DetectorMain.settings(Config.of(DetectorMain.command().keys(),
                with(common, "detector.instance.id", "bad-input", "detector.max.frame.age.ms", "0"))));
        detector.start();
        aggregator = new AggregatorService(AggregatorMain.settings(Config.of(AggregatorMain.command().keys(),
                with(common, "aggregator.application.id", "bad-input", "aggregator.instance.id", "bad-input",
                        "aggregator.state.dir", stateDir.toString()))));
        aggregator.start();
        raw = new RawRecords(bootstrap);
        detections = new TopicWatcher<>(bootstrap, Topics.DETECTIONS);
        tracks = new TopicWatcher<>(bootstrap, Topics.TRACKS);
        alerts = new TopicWatcher<>(bootstrap, Topics.ALERTS);
        statuses = new TopicWatcher<>(bootstrap, Topics.CAMERA_STATUS);
        jpeg = TestJpegs.street(640, 360);
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> aggregator.streams().state() == KafkaStreams.State.RUNNING);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {statuses, alerts, tracks, detections, raw, aggregator, detector,
                ingest}) {
            if (c != null) {
                c.close();
            }
        }
        if (stateDir != null) {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void framesThatCannotBeReadAreDeadLettersAndTheNextFrameIsDetected() throws Exception {
        String cam = "bad-frames";
        byte[] good = encode(Topics.FRAMES, frame(cam, 1, jpeg));
        Map<String, byte[]> unreadable = new LinkedHashMap<>();
        unreadable.put("not Avro single-object encoding", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        unreadable.put("shorter than the 10-byte single-object header", truncated(good, 5));
        unreadable.put("truncated or corrupt", truncated(good, good.length / 2));
        unreadable.put("unknown writer schema", unknownFingerprint(good));
        unreadable.put("a string of 2147483640 bytes", hugeLength(good));
        // Records that decode, whose pictures do not: published as skipped, and dead letters too.
        Map<String, byte[]> badPictures = new LinkedHashMap<>();
        badPictures.put("no JPEG bytes", new byte[0]);
        badPictures.put("not a JPEG image", "\u0089PNG\r\n\u001a\n not a jpeg".getBytes(StandardCharsets.ISO_8859_1));
        badPictures.put("claims 30000x30000 pixels, more than the 8192x8192", TestJpegs.claimingSize(jpeg, 30_000, 30_000));
        badPictures.put("not a decodable JPEG", TestJpegs.cutBeforeScan(jpeg));
        // As large as strix.frames takes: its dead letter keeps the first 4 MiB, so that it fits strix.dlq.
        byte[] nearLimit = new byte[Topics.MAX_RECORD_BYTES - 300];
        new Random(1).nextBytes(nearLimit);
        nearLimit[0] = (byte) 0xFF;
        nearLimit[1] = (byte) 0xD8;
        nearLimit[2] = 0;
        badPictures.put("not a JPEG image (" + nearLimit.length + " bytes", nearLimit);

        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : unreadable.entrySet()) {
            sent.put(e.getKey(), raw.send(Topics.FRAMES.name(), cam, e.getValue()));
        }
        long seq = 10;
        Map<String, Long> seqs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : badPictures.entrySet()) {
            seqs.put(e.getKey(), ++seq);
            sent.put(e.getKey(), raw.send(Topics.FRAMES, cam, frame(cam, seq, e.getValue())));
        }
        // Larger than a record may be: the producer refuses it with a clear error, nothing reaches the detector.
        Throwable refused = raw.refusal(Topics.FRAMES.name(), cam, new byte[Topics.MAX_RECORD_BYTES + 1]);
        assertThat(refused).isInstanceOf(RecordTooLargeException.class).hasMessageContaining("larger than");
        raw.send(Topics.FRAMES, cam, frame(cam, 100, jpeg));

        FrameDetections next = detections.await(d -> d.getFrame().getCameraId().equals(cam)
                && d.getFrame().getFrameSeq() == 100, Duration.ofSeconds(90), "the good frame after the bad ones");
        assertThat(next.getSkipped()).as(next.getSkipDetail()).isNull();
        for (Map.Entry<String, RecordMetadata> e : sent.entrySet()) {
            ConsumerRecord<String, byte[]> letter = raw.deadLetterOf(e.getValue());
            assertThat(header(letter, DeadLetters.REASON)).as(e.getKey()).contains(e.getKey());
            assertThat(header(letter, DeadLetters.SERVICE)).isEqualTo("detector");
            assertThat(letter.key()).isEqualTo(cam);
        }
        for (Map.Entry<String, Long> e : seqs.entrySet()) {
            FrameDetections skipped = detections.values(d -> d.getFrame().getCameraId().equals(cam)
                    && d.getFrame().getFrameSeq() == e.getValue()).get(0);
            assertThat(skipped.getSkipped()).as(e.getKey()).isEqualTo(SkipReason.UNDECODABLE);
            assertThat(skipped.getSkipDetail()).as(e.getKey()).contains(e.getKey());
        }
        ConsumerRecord<String, byte[]> large = raw.deadLetterOf(sent.get(badPictures.keySet().stream()
                .filter(k -> k.startsWith("not a JPEG image (")).findFirst().orElseThrow()));
        assertThat(large.value()).hasSize(DeadLetters.MAX_VALUE_BYTES);
        assertThat(Integer.parseInt(header(large, DeadLetters.ORIGINAL_VALUE_BYTES))).isGreaterThan(nearLimit.length);
        assertThat(detector.failure()).isNull();
    }

    @Test
    void detectionsThatCannotBeReadAreDeadLettersAndTrackingGoesOn() throws Exception {
        String cam = "bad-detections";
        byte[] good = encode(Topics.DETECTIONS, detected(cam, 1, person(0.3)));
        byte[] pastTheDefaultRequestSize = new byte[1_048_400];
        new Random(2).nextBytes(pastTheDefaultRequestSize);
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        sent.put("not Avro single-object encoding", raw.send(Topics.DETECTIONS.name(), cam,
                "{\"cameraId\": \"bad-detections\"}".getBytes(StandardCharsets.UTF_8)));
        sent.put("truncated or corrupt", raw.send(Topics.DETECTIONS.name(), cam, truncated(good, good.length - 3)));
        sent.put("unknown writer schema", raw.send(Topics.DETECTIONS.name(), cam, unknownFingerprint(good)));
        sent.put("a string of 2147483640 bytes", raw.send(Topics.DETECTIONS.name(), cam, hugeLength(good)));
        sent.put("no value", raw.send(Topics.DETECTIONS.name(), cam, null));
        sent.put("key missing", raw.send(Topics.DETECTIONS.name(), null, good));
        sent.put("key 'someone-else' differs from frame.cameraId 'bad-detections'",
                raw.send(Topics.DETECTIONS.name(), "someone-else", good));
        sent.put("not Avro", raw.send(Topics.DETECTIONS.name(), cam, pastTheDefaultRequestSize));
        // Valid, but more boxes than any detector writes: tracked (the most confident ones), in bounded time.
        List<Detection> crowd = new ArrayList<>();
        Random places = new Random(3);
        for (int i = 0; i < 5_000; i++) {
            crowd.add(new Detection(0, "person", 0.5f + places.nextFloat() / 2,
                    new Box(places.nextFloat() * 0.9f, places.nextFloat() * 0.8f, 0.02f, 0.05f)));
        }
        raw.send(Topics.DETECTIONS, "bad-detections-crowd", detected("bad-detections-crowd", 1,
                crowd.toArray(Detection[]::new)));
        for (long seq = 1; seq <= 3; seq++) {
            raw.send(Topics.DETECTIONS, cam, detected(cam, seq, person(0.3 + 0.01 * seq)));
        }

        TrackSnapshot snapshot = tracks.await(t -> t.getFrame().getCameraId().equals(cam)
                && t.getFrame().getFrameSeq() == 3, Duration.ofSeconds(60), "the snapshot of the third good frame");
        assertThat(snapshot.getTracks()).hasSize(1);
        tracks.await(t -> t.getFrame().getCameraId().equals("bad-detections-crowd"), Duration.ofSeconds(60),
                "the crowd's snapshot");
        for (Map.Entry<String, RecordMetadata> e : sent.entrySet()) {
            ConsumerRecord<String, byte[]> letter = raw.deadLetterOf(e.getValue());
            assertThat(header(letter, DeadLetters.REASON)).as(e.getKey()).contains(e.getKey());
            assertThat(header(letter, DeadLetters.SERVICE)).isEqualTo("aggregator");
        }
        assertThat(aggregator.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(aggregator.fatalError()).isEmpty();
    }

    @Test
    void rulesThatCannotBeReadAreDeadLettersAndGoodRulesStillApply() throws Exception {
        String cam = "bad-rules";
        byte[] good = encode(Topics.RULES, doorZone(cam));
        RuleSet bowTie = RuleSet.newBuilder(doorZone(cam)).setZones(List.of(new Zone("z", "", List.of(
                new Point(0.1f, 0.1f), new Point(0.5f, 0.5f), new Point(0.5f, 0.1f), new Point(0.1f, 0.5f)), true,
                false, new RuleFilter(List.of(), 0f, 0f)))).build();
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        sent.put("not Avro single-object encoding", raw.send(Topics.RULES.name(), cam,
                "zones: door".getBytes(StandardCharsets.UTF_8)));
        sent.put("truncated or corrupt", raw.send(Topics.RULES.name(), cam, truncated(good, good.length - 3)));
        sent.put("unknown writer schema", raw.send(Topics.RULES.name(), cam, unknownFingerprint(good)));
        sent.put("a string of 2147483640 bytes", raw.send(Topics.RULES.name(), cam, hugeLength(good)));
        sent.put("differs from cameraId", raw.send(Topics.RULES.name(), "someone-else", good));
        sent.put("invalid rule set, the camera's previous rules stay in force: zones[0].polygon",
                raw.send(Topics.RULES, cam, bowTie));
        assertThat(raw.refusal(Topics.RULES.name(), null, good)).as("a compacted topic's record without a key")
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("without key");
        raw.send(Topics.RULES.name(), cam, good);
        // The gateway reads strix.rules as the topology does; once it shows the rules, the topology has them too.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> get(aggregator.httpPort(),
                "/api/rules/" + cam).statusCode() == 200);

        long t = 0;
        for (long seq = 1; seq <= 20; seq++) { // walks into the zone at x = 0.4
            raw.send(Topics.DETECTIONS, cam, detectedAt(cam, seq, t += 200, person(0.3 + 0.02 * seq)));
        }
        Alert alert = alerts.await(a -> a.getCameraId().equals(cam) && a.getPhase() == AlertPhase.STARTED,
                Duration.ofSeconds(60), "the zone alert under the good rules");
        assertThat(alert.getRuleId()).isEqualTo("door");
        for (Map.Entry<String, RecordMetadata> e : sent.entrySet()) {
            ConsumerRecord<String, byte[]> letter = raw.deadLetterOf(e.getValue());
            assertThat(header(letter, DeadLetters.REASON)).as(e.getKey()).contains(e.getKey());
            assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.RULES.name());
        }
        assertThat(aggregator.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    void camerasThatCannotBeReadAreDeadLettersAndTheRegistryGoesOn() throws Exception {
        String cam = "bad-cameras";
        CameraConfig camera = CameraConfig.newBuilder().setCameraId(cam)
                .setUrl("sim://street?seed=3&fps=1&size=160x90").setTargetFps(1f).setUpdatedAt(Instant.now())
                .build();
        byte[] good = encode(Topics.CAMERAS, camera);
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        sent.put("not Avro single-object encoding", raw.send(Topics.CAMERAS.name(), cam,
                "rtsp://10.0.0.5/stream1".getBytes(StandardCharsets.UTF_8)));
        sent.put("truncated or corrupt", raw.send(Topics.CAMERAS.name(), cam, truncated(good, good.length - 3)));
        sent.put("unknown writer schema", raw.send(Topics.CAMERAS.name(), cam, unknownFingerprint(good)));
        sent.put("a string of 2147483640 bytes", raw.send(Topics.CAMERAS.name(), cam, hugeLength(good)));
        sent.put("key 'someone-else' differs from cameraId 'bad-cameras'",
                raw.send(Topics.CAMERAS.name(), "someone-else", good));
        // Decodes, but makes no sense: the camera fails alone, with the reason in its status.
        raw.send(Topics.CAMERAS, "bad-cameras-nan", CameraConfig.newBuilder(camera).setCameraId("bad-cameras-nan")
                .setTargetFps(Float.NaN).setMaxWidth(-5).build());
        assertThat(raw.refusal(Topics.CAMERAS.name(), null, good)).as("a compacted topic's record without a key")
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("without key");
        raw.send(Topics.CAMERAS.name(), cam, good);
        try {
            statuses.await(s -> s.getCameraId().equals(cam) && s.getState() == CameraState.STREAMING,
                    Duration.ofSeconds(60), "the good camera streaming");
            CameraStatus failed = statuses.await(s -> s.getCameraId().equals("bad-cameras-nan")
                    && s.getState() == CameraState.FAILED, Duration.ofSeconds(30), "the nonsense camera failed");
            assertThat(failed.getError()).contains("targetFps").contains("maxWidth");
            for (Map.Entry<String, RecordMetadata> e : sent.entrySet()) {
                ConsumerRecord<String, byte[]> letter = raw.deadLetterOf(e.getValue());
                assertThat(header(letter, DeadLetters.REASON)).as(e.getKey()).contains(e.getKey());
                assertThat(header(letter, DeadLetters.SERVICE)).isEqualTo("ingest");
            }
            // What an operator watches: every letter written is counted (when its send is acknowledged), none failed.
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(ingest.registry().get("strix.ingest.dead.letters").counter().count())
                            .isGreaterThanOrEqualTo(sent.size()));
            assertThat(ingest.registry().get("strix.ingest.dead.letters.failed").counter().count()).isZero();
            HttpResponse<String> list = get(ingest.httpPort(), "/api/cameras");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"cameraId\":\"" + cam + "\"");
        } finally {
            raw.send(Topics.CAMERAS.name(), cam, null);
        }
    }

    private static Frame frame(String cam, long seq, byte[] picture) {
        return new Frame(cam, seq, Instant.now(), null, 640, 360, ByteBuffer.wrap(picture), "it-bad-input");
    }

    private static FrameDetections detected(String cam, long seq, Detection... boxes) {
        return detectedAt(cam, seq, seq * 200, boxes);
    }

    private static FrameDetections detectedAt(String cam, long seq, long millis, Detection... boxes) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusMillis(millis);
        return new FrameDetections(new FrameRef(cam, seq, at, 0, seq), 640, 360, new ModelRef("it", "1"), null,
                null, List.of(boxes), at, "it-bad-input");
    }

    /** A person whose feet stand at {@code (footX, 0.6)}. */
    private static Detection person(double footX) {
        return new Detection(0, "person", 0.9f, new Box((float) footX - 0.03f, 0.4f, 0.06f, 0.2f));
    }

    private static RuleSet doorZone(String cam) {
        return new RuleSet(cam, 1L, List.of(new Zone("door", "Door", List.of(new Point(0.4f, 0.4f),
                new Point(0.8f, 0.4f), new Point(0.8f, 0.8f), new Point(0.4f, 0.8f)), true, false,
                new RuleFilter(List.of(), 0f, 0f))), List.of(), List.of(), List.of(), Instant.now());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> with(Map<String, String> common, String... keysAndValues) {
        Map<String, String> all = new LinkedHashMap<>(common);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            all.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return all;
    }
}
