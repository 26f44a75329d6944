package io.strix.detector.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.detector.DetectorService;
import io.strix.detector.Fixtures;
import io.strix.detector.TestImages;
import io.strix.detector.inference.Accelerator;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.FrameDetections;
import io.strix.schema.SkipReason;
import io.strix.wire.DeadLetters;
import io.strix.wire.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One detector (the XXS test model) against a real broker: order, one record per frame, stale, DLQ, health. */
class DetectorServiceIT {
    static Path dataDir;
    static EmbeddedKafka kafka;
    static DetectorService detector;
    static int httpPort;
    static FrameProducer frames;
    static TopicReader<FrameDetections> detections;
    static TopicReader<byte[]> deadLetters;
    static byte[] scene;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("detector-it");
        kafka = EmbeddedKafka.start("localhost", 0, dataDir, Map.of());
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it-admin"))) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 4, 1);
        }
        detector = new DetectorService(new DetectorService.Settings(kafka.bootstrapServers(), 0, Optional.empty(),
                "it-detector", "strix-detector", 4, 1, Optional.of(Fixtures.xxs()),
                new InferenceEngine.Settings(2, Accelerator.CPU, 0), new Postprocessor.Settings(0.25f, 0.45f, 100),
                4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30), true));
        httpPort = detector.start();
        frames = new FrameProducer(kafka.bootstrapServers());
        detections = new TopicReader<>(kafka.bootstrapServers(), Topics.DETECTIONS, true);
        deadLetters = new TopicReader<>(kafka.bootstrapServers(), Topics.DLQ, true);
        scene = Files.readAllBytes(Fixtures.file("scene.jpg"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (detections != null) {
            detections.close();
            deadLetters.close();
            frames.close();
        }
        if (detector != null) {
            detector.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static List<FrameDetections> of(List<FrameDetections> all, String camera) {
        return all.stream().filter(d -> d.getFrame().getCameraId().equals(camera)).toList();
    }

    @Test
    void publishesOneRecordPerFrameInOrderWithLineage() throws Exception {
        List<String> cameras = List.of("order-a", "order-b", "order-c", "order-d", "order-e");
        Map<String, RecordMetadata> written = new HashMap<>();
        int perCamera = 12;
        for (int seq = 0; seq < perCamera; seq++) {
            for (String camera : cameras) {
                written.put(camera + "/" + seq, frames.send(TestImages.frame(camera, seq, Instant.now(), scene, 640, 480)));
            }
        }
        List<FrameDetections> all = detections.await(
                d -> cameras.stream().allMatch(c -> of(d, c).size() >= perCamera), Duration.ofSeconds(90),
                "every frame's detections");
        for (String camera : cameras) {
            List<FrameDetections> mine = of(all, camera);
            assertThat(mine).as("camera %s: one record per frame, in order", camera)
                    .extracting(d -> d.getFrame().getFrameSeq())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            for (FrameDetections d : mine) {
                RecordMetadata frame = written.get(camera + "/" + d.getFrame().getFrameSeq());
                assertThat(d.getFrame().getPartition()).isEqualTo(frame.partition());
                assertThat(d.getFrame().getOffset()).isEqualTo(frame.offset());
                assertThat(d.getSkipped()).isNull();
                assertThat(d.getModel().getName()).isEqualTo("mobilevit-yolo-xxs-320");
                assertThat(d.getModel().getVersion()).isEqualTo("fixture-1");
                assertThat(d.getWidth()).isEqualTo(640);
                assertThat(d.getDetectorInstance()).isEqualTo("it-detector");
            }
            assertThat(mine.get(0).getDetections()).isNotEmpty();
        }
    }

    @Test
    void publishesFramesOlderThanTheBudgetAsStale() throws Exception {
        frames.send(TestImages.frame("stale", 0, Instant.now().minusSeconds(120), scene, 640, 480));
        frames.send(TestImages.frame("stale", 1, Instant.now(), scene, 640, 480));
        List<FrameDetections> mine = of(detections.await(d -> of(d, "stale").size() >= 2, Duration.ofSeconds(60),
                "both frames of camera stale"), "stale");
        assertThat(mine).extracting(FrameDetections::getSkipped).containsExactly(SkipReason.STALE, null);
        assertThat(mine.get(0).getSkipDetail()).contains("ms old").contains("--max-frame-age is 30000 ms");
        assertThat(mine.get(0).getDetections()).isEmpty();
        assertThat(detector.metrics().skips(SkipReason.STALE)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void sendsACorruptJpegToTheDeadLettersAndCarriesOn() throws Exception {
        byte[] corrupt = new byte[3000];
        Arrays.fill(corrupt, (byte) 0x42);
        frames.send(TestImages.frame("corrupt", 0, Instant.now(), scene, 640, 480));
        RecordMetadata bad = frames.send(TestImages.frame("corrupt", 1, Instant.now(), corrupt, 640, 480));
        frames.send(TestImages.frame("corrupt", 2, Instant.now(), scene, 640, 480));
        List<FrameDetections> mine = of(detections.await(d -> of(d, "corrupt").size() >= 3, Duration.ofSeconds(60),
                "three frames of camera corrupt"), "corrupt");
        assertThat(mine).extracting(FrameDetections::getSkipped).containsExactly(null, SkipReason.UNDECODABLE, null);
        assertThat(mine.get(1).getSkipDetail()).contains("3000 bytes");

        deadLetters.await(d -> deadLetterAt(bad) != null, Duration.ofSeconds(30), "the corrupt frame's dead letter");
        ConsumerRecord<byte[], byte[]> letter = deadLetterAt(bad);
        assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).isEqualTo("strix.frames");
        assertThat(header(letter, DeadLetters.REASON)).startsWith("image: ").contains("3000 bytes");
        assertThat(header(letter, DeadLetters.SERVICE)).isEqualTo("detector");
        assertThat(header(letter, DeadLetters.FINGERPRINT)).startsWith("0x");
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("corrupt");
        assertThat(Topics.FRAMES.valueSerde().deserializer().deserialize("strix.frames", letter.value()).getSeq())
                .as("the original record").isEqualTo(1L);
    }

    @Test
    void sendsAnUndecodableRecordToTheDeadLettersAndCarriesOn() throws Exception {
        RecordMetadata bad = frames.sendRaw("garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
        frames.send(TestImages.frame("after-garbage", 0, Instant.now(), scene, 640, 480));
        detections.await(d -> !of(d, "after-garbage").isEmpty(), Duration.ofSeconds(60), "the next frame");
        deadLetters.await(d -> deadLetterAt(bad) != null, Duration.ofSeconds(30), "the record's dead letter");
        ConsumerRecord<byte[], byte[]> letter = deadLetterAt(bad);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
        assertThat(header(letter, DeadLetters.REASON)).isNotBlank();
        assertThat(of(detections.values(), "garbage")).as("no camera, no frame: no detections record").isEmpty();
    }

    @Test
    void servesHealthAndDetectorMetrics() throws Exception {
        frames.send(TestImages.frame("metrics", 0, Instant.now(), scene, 640, 480));
        detections.await(d -> !of(d, "metrics").isEmpty(), Duration.ofSeconds(60), "a frame of camera metrics");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("strix_detector_frames_total", "strix_detector_frames_per_second",
                "strix_detector_batch_size", "strix_detector_consumer_lag", "strix_detector_frame_latency_seconds",
                "strix_detector_stage_seconds", "quantile=\"0.99\"", "stage=\"infer\"", "stage=\"decode\"",
                "stage=\"preprocess\"", "stage=\"postprocess\"", "stage=\"produce\"",
                "strix_detector_skipped_total{reason=\"stale\"", "kafka_consumer");
    }

    private static ConsumerRecord<byte[], byte[]> deadLetterAt(RecordMetadata source) {
        return deadLetters.records().stream()
                .filter(r -> String.valueOf(source.partition()).equals(header(r, DeadLetters.SOURCE_PARTITION))
                        && String.valueOf(source.offset()).equals(header(r, DeadLetters.SOURCE_OFFSET)))
                .findFirst().orElse(null);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
