package io.strix.it.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strix.camsim.live.SimCamera;
import io.strix.camsim.live.SimFrame;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenarios;
import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.detector.DetectorMain;
import io.strix.detector.DetectorService;
import io.strix.detector.replay.ReplayMain;
import io.strix.it.KafkaFixture;
import io.strix.schema.Detection;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strix replay} against a real broker and the real detector: camsim frames of two cameras go through the
 * detector service into strix.detections, then the shipped model is replayed over them into shadow topics. The
 * same model and settings reproduce production; a higher confidence threshold loses boxes, and the comparison says
 * so. Exact counts are never assumed: the model may be retrained.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();
    private static final Path ROOT = Path.of(System.getProperty("strix.it.tools", "tools")).toAbsolutePath()
            .getParent().getParent();
    private static final Path MODEL = ROOT.resolve("models/mobilevit-yolo-xxs-384x256.onnx"); // the default
    private static final int FRAMES_PER_CAMERA = 20;
    private static final int FRAME_MILLIS = 200;
    private static final long CORRUPT_SEQ = 8;
    private static final float PRODUCTION_CONFIDENCE = 0.05f;
    private static final int PARTITIONS = 3;

    /** Capture time (and record timestamp) of every camera's frame 0; recent, as a live camera's would be. */
    private final Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    private final Map<String, FrameDetections> production = new HashMap<>();

    @BeforeAll
    void detectorPublishesProductionDetections() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(KAFKA.bootstrapServers(), "replay-it"))) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, PARTITIONS, -1);
        }
        try (KafkaProducer<String, Frame> producer = new KafkaProducer<>(
                KafkaClients.producer(KAFKA.bootstrapServers(), "replay-it-frames"),
                Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
            for (String camera : List.of("street", "crossing")) {
                SimCamera sim = new SimCamera(Scenarios.builtin(camera), camera.length(), new FrameSize(640, 360), 5);
                for (int seq = 0; seq < FRAMES_PER_CAMERA; seq++) {
                    SimFrame frame = sim.next();
                    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
                    ImageIO.write(frame.image(), "jpg", jpeg);
                    byte[] bytes = camera.equals("street") && seq == CORRUPT_SEQ
                            ? "not a JPEG".getBytes(StandardCharsets.UTF_8) : jpeg.toByteArray();
                    Instant capture = start.plusMillis((long) seq * FRAME_MILLIS);
                    producer.send(new ProducerRecord<>(Topics.FRAMES.name(), null, capture.toEpochMilli(), camera,
                            Frame.newBuilder().setCameraId(camera).setSeq(seq).setCaptureTime(capture).setWidth(640)
                                    .setHeight(360).setJpeg(ByteBuffer.wrap(bytes)).build()));
                }
            }
            producer.flush();
        }
        // Production: the real detector service, no latency budget (the frames are a minute old).
        try (DetectorService detector = new DetectorService(DetectorMain.settings(Config.of(
                DetectorMain.command().keys(), Map.of("bootstrap.servers", KAFKA.bootstrapServers(),
                        "http.port", "0", "detector.instance.id", "replay-it", "topic.partitions",
                        Integer.toString(PARTITIONS), "detector.max.frame.age.ms", "0", "detector.confidence",
                        Float.toString(PRODUCTION_CONFIDENCE)))))) {
            detector.start();
            // Until the detector has caught up with every frame (the assertion below says what is missing).
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : readAll(Topics.DETECTIONS.name())) {
                            FrameDetections d = Topics.DETECTIONS.valueSerde().deserializer()
                                    .deserialize(r.topic(), r.value());
                            production.put(frameId(d), d);
                        }
                        return production.size() >= 2 * FRAMES_PER_CAMERA;
                    });
        }
        assertThat(production).as("a production record for every frame").hasSize(2 * FRAMES_PER_CAMERA);
        assertThat(production.get("street/" + CORRUPT_SEQ).getSkipped()).hasToString("UNDECODABLE");
    }

    @Test
    void sameModelReproducesProductionOnTheRangesFrames(@TempDir Path dir) throws Exception {
        // Frames 5..15 of each camera: the range is inclusive at both ends.
        Instant from = start.plusMillis(5 * FRAME_MILLIS);
        Instant to = start.plusMillis(15 * FRAME_MILLIS);
        Path json = dir.resolve("same.json");
        StringBuilder table = new StringBuilder();
        assertThat(replay(table, "--from", from.toString(), "--to", to.toString(), "--model", MODEL.toString(),
                "--output-topic", "strix.detections.same", "--confidence", Float.toString(PRODUCTION_CONFIDENCE),
                "--json", json.toString())).isZero();
        System.out.println(table);

        // Exactly one record per replayed frame, keyed and partitioned like production, with the same lineage.
        List<ConsumerRecord<String, byte[]>> shadow = readAll("strix.detections.same");
        Map<String, List<FrameDetections>> byFrame = shadow.stream().collect(Collectors.groupingBy(
                r -> frameId(decode(r)), Collectors.mapping(ReplayIT::decode, Collectors.toList())));
        Set<String> expected = production.keySet().stream()
                .filter(id -> Integer.parseInt(id.substring(id.indexOf('/') + 1)) >= 5
                        && Integer.parseInt(id.substring(id.indexOf('/') + 1)) <= 15).collect(Collectors.toSet());
        assertThat(expected).hasSize(22);
        assertThat(byFrame.keySet()).isEqualTo(expected);
        assertThat(shadow).hasSize(expected.size());
        Map<String, Integer> productionPartition = new HashMap<>();
        readAll(Topics.DETECTIONS.name()).forEach(r -> productionPartition.put(frameId(decode(r)), r.partition()));
        for (ConsumerRecord<String, byte[]> r : shadow) {
            FrameDetections d = decode(r);
            FrameDetections p = production.get(frameId(d));
            assertThat(r.key()).isEqualTo(d.getFrame().getCameraId());
            assertThat(r.partition()).isEqualTo(productionPartition.get(frameId(d)));
            assertThat(d.getFrame()).isEqualTo(p.getFrame());
            assertThat(d.getModel()).isEqualTo(p.getModel());
            assertThat(d.getDetectorInstance()).startsWith("replay-");
        }
        try (Admin admin = Admin.create(KafkaClients.admin(KAFKA.bootstrapServers(), "replay-it"))) {
            assertThat(admin.describeTopics(List.of("strix.detections.same")).allTopicNames().get()
                    .get("strix.detections.same").partitions()).hasSize(PARTITIONS);
        }

        JsonObject figures = new JsonObject(Files.readString(json));
        JsonObject frames = figures.getJsonObject("frames");
        assertThat(frames.getLong("replayed")).isEqualTo(22);
        assertThat(frames.getLong("withProductionRecord")).isEqualTo(22);
        assertThat(frames.getLong("withoutProductionRecord")).isZero();
        assertThat(frames.getJsonObject("candidateSkipped").getLong("UNDECODABLE")).isEqualTo(1);
        assertThat(frames.getJsonObject("productionSkipped").getLong("UNDECODABLE")).isEqualTo(1);
        assertThat(frames.getLong("compared")).isEqualTo(21);
        JsonObject total = figures.getJsonObject("total");
        long productionBoxes = production.values().stream().filter(d -> expected.contains(frameId(d)))
                .mapToLong(d -> d.getDetections().size()).sum();
        assertThat(total.getLong("production")).isEqualTo(productionBoxes).isPositive();
        // Same model, settings and frames: everything matches, up to the odd box that float rounding in another
        // batch composition moves across a threshold.
        long unmatched = total.getLong("onlyProduction") + total.getLong("onlyCandidate");
        assertThat(unmatched).as(table.toString()).isLessThanOrEqualTo(Math.max(1, productionBoxes / 50));
        assertThat(figures.getDouble("meanIou")).isGreaterThan(0.99);
        assertThat(table.toString()).contains("frames replayed", "22", "candidate skipped UNDECODABLE",
                "production skipped UNDECODABLE", "total", "ms per frame", "frames/s");
    }

    @Test
    void higherConfidenceLosesBoxesOnlyProductionHas(@TempDir Path dir) throws Exception {
        // A threshold at the median of production's scores drops about half its boxes, whatever the model.
        List<Float> scores = production.values().stream().flatMap(d -> d.getDetections().stream())
                .map(Detection::getConfidence).sorted().toList();
        assertThat(scores).as("production detected something").isNotEmpty();
        float threshold = scores.get(scores.size() / 2);
        Path json = dir.resolve("strict.json");
        StringBuilder table = new StringBuilder();
        // Relative times: everything published in the last ten minutes, up to now; compared with production in
        // chunks, as a long range is: every 7 frames, rounded up to whole batches of 4, i.e. 5 chunks of 8.
        assertThat(replay(table, "--from", "-10m", "--to", "now", "--model", MODEL.toString(), "--output-topic",
                "strix.detections.strict", "--confidence", Float.toString(threshold), "--json", json.toString(),
                "--compare-every", "7")).isZero();
        System.out.println(table);

        assertThat(readAll("strix.detections.strict")).hasSize(2 * FRAMES_PER_CAMERA);
        JsonObject figures = new JsonObject(Files.readString(json));
        assertThat(figures.getJsonObject("frames").getLong("replayed")).isEqualTo(2 * FRAMES_PER_CAMERA);
        assertThat(figures.getJsonObject("frames").getLong("withProductionRecord")).isEqualTo(2 * FRAMES_PER_CAMERA);
        // Production's records are read once for all chunks, not again for each.
        assertThat(figures.getLong("productionRecordsRead")).isLessThanOrEqualTo(2 * FRAMES_PER_CAMERA);
        JsonObject total = figures.getJsonObject("total");
        assertThat(total.getLong("production")).isEqualTo(scores.size());
        assertThat(total.getLong("candidate")).isLessThan(total.getLong("production"));
        assertThat(total.getLong("onlyProduction")).isPositive();
        assertThat(total.getLong("matched") + total.getLong("onlyProduction")).isEqualTo(total.getLong("production"));
        assertThat(total.getLong("matched") + total.getLong("onlyCandidate")).isEqualTo(total.getLong("candidate"));
        assertThat(figures.getDouble("confidence")).isCloseTo(threshold, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(table.toString()).containsPattern("total +" + total.getLong("production") + " +"
                + total.getLong("candidate") + " +" + total.getLong("matched") + " +" + total.getLong("onlyProduction"));
    }

    @Test
    void aRangeWithoutFramesReplaysNothingAndSucceeds(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("empty.json");
        StringBuilder table = new StringBuilder();
        assertThat(replay(table, "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-01T01:00:00Z", "--model",
                MODEL.toString(), "--output-topic", "strix.detections.empty", "--json", json.toString())).isZero();
        assertThat(new JsonObject(Files.readString(json)).getJsonObject("frames").getLong("replayed")).isZero();
        assertThat(table.toString()).containsPattern("frames replayed +0 +none in the range");
        assertThat(readAll("strix.detections.empty")).isEmpty();
    }

    @Test
    void refusesToWriteIntoProductionTopics() throws Exception {
        long before = readAll(Topics.DETECTIONS.name()).size();
        StringWriter err = new StringWriter();
        for (String topic : List.of(Topics.DETECTIONS.name(), Topics.FRAMES.name(), Topics.TRACKS.name())) {
            int code = new CommandLauncher("strix", List.of(ReplayMain.command()), Map.of(),
                    new PrintWriter(new StringWriter()), new PrintWriter(err, true)).run(new String[] {"replay",
                    "--bootstrap-servers", KAFKA.bootstrapServers(), "--from", "-10m", "--model", MODEL.toString(),
                    "--output-topic", topic});
            assertThat(code).as(topic).isEqualTo(StrixCommand.USAGE);
        }
        assertThat(err.toString()).contains("--output-topic strix.detections is a production topic");
        assertThat(readAll(Topics.DETECTIONS.name())).hasSize((int) before);
    }

    private static int replay(StringBuilder table, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> line = new ArrayList<>(List.of("replay", "--bootstrap-servers", KAFKA.bootstrapServers()));
        line.addAll(List.of(args));
        int code = new CommandLauncher("strix", List.of(ReplayMain.command(new PrintStream(out, true,
                StandardCharsets.UTF_8))), Map.of(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)).run(line.toArray(String[]::new));
        table.append(out.toString(StandardCharsets.UTF_8));
        return code;
    }

    private static FrameDetections decode(ConsumerRecord<String, byte[]> r) {
        return Topics.DETECTIONS.valueSerde().deserializer().deserialize(r.topic(), r.value());
    }

    private static String frameId(FrameDetections d) {
        return d.getFrame().getCameraId() + "/" + d.getFrame().getFrameSeq();
    }

    /** Every committed record of a topic, up to its end offsets now. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> props = new HashMap<>(KafkaClients.consumer(KAFKA.bootstrapServers(), "replay-it-read",
                "unused"));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
