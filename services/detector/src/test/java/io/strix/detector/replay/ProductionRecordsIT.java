package io.strix.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.detector.replay.Replay.FrameKey;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@code strix replay} finds production's records chunk by chunk, against a real broker: each record of
 * strix.detections is read once however many chunks the range has, no partition is read far past the chunk being
 * compared, and a frame production never wrote, a bad record or a camera that is not replayed change neither.
 */
class ProductionRecordsIT {
    private static final Duration SLACK = Duration.ofSeconds(5);
    /** Production's records: one a second per camera, timestamped at their frames' time. */
    private static final Instant T0 = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
    private static final int FRAMES = 60;
    private static final long NEVER_WRITTEN = 30;

    static EmbeddedKafka kafka;
    /** Every record written to strix.detections with its timestamp (seq -1: the one that is no FrameDetections). */
    static final List<Map.Entry<Instant, FrameKey>> WRITTEN = new ArrayList<>();
    static final Map<FrameKey, FrameDetections> PRODUCTION = new HashMap<>();

    @BeforeAll
    static void production() throws Exception {
        kafka = EmbeddedKafka.start("localhost", 0, Files.createTempDirectory("production-records-it"), Map.of());
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it-admin"))) {
            TopicAdmin.ensureTopics(admin, List.of(Topics.DETECTIONS), 2, 1);
        }
        Serializer<FrameDetections> serializer = Topics.DETECTIONS.valueSerde().serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                KafkaClients.producer(kafka.bootstrapServers(), "it-production"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int seq = 0; seq < FRAMES; seq++) {
                for (String camera : List.of("a", "b")) {
                    if (camera.equals("a") && seq == NEVER_WRITTEN) {
                        continue;
                    }
                    write(producer, serializer, camera.equals("a") ? 0 : 1, camera, seq, T0.plusSeconds(seq));
                }
                if (seq == 15) { // a record that is no FrameDetections, and a camera that is not replayed
                    Instant at = T0.plusMillis(15_500);
                    producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), 0, at.toEpochMilli(),
                            "a".getBytes(StandardCharsets.UTF_8), "not Avro".getBytes(StandardCharsets.UTF_8)));
                    WRITTEN.add(Map.entry(at, new FrameKey("a", -1)));
                    write(producer, serializer, 1, "z", 0, at);
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsEveryRecordOnceAndNoFurtherThanTheChunkNeeds() {
        // Frames 10..59 replayed in chunks of 10 per camera; production's are looked for 5 s either side.
        try (ProductionRecords records = new ProductionRecords(consumer(), T0.plusSeconds(10), T0.plusSeconds(59),
                SLACK)) {
            for (int first = 10; first < FRAMES; first += 10) {
                List<FrameKey> wanted = new ArrayList<>(keys("a", first, first + 9));
                wanted.addAll(keys("b", first, first + 9));
                Instant last = T0.plusSeconds(first + 9);
                Map<FrameKey, FrameDetections> found = records.take(wanted, last);

                for (FrameKey key : wanted) {
                    if (key.equals(new FrameKey("a", NEVER_WRITTEN))) {
                        assertThat(found).as("production never wrote a/30").doesNotContainKey(key);
                    } else {
                        assertThat(found.get(key)).as(key.toString()).isEqualTo(PRODUCTION.get(key));
                    }
                }
                // Read so far: at most the records up to the chunk's last frame plus the slack, and one more in
                // each of the two partitions. Reading ahead never re-reads: the reader starts at 10 s - slack.
                long upToHorizon = WRITTEN.stream().filter(w -> !w.getKey().isBefore(T0.plusSeconds(5))
                        && !w.getKey().isAfter(last.plus(SLACK))).count();
                assertThat(records.read()).as("after the chunk of frames %d..%d", first, first + 9)
                        .isLessThanOrEqualTo(upToHorizon + 2);
            }
            // Every record from 10 s - slack on was read, each once (the range ends with the last frames).
            long inRange = WRITTEN.stream().filter(w -> !w.getKey().isBefore(T0.plusSeconds(5))).count();
            assertThat(records.read()).isEqualTo(inRange);
        }
    }

    @Test
    void aCameraThatLagsInTheReplayFindsItsRecordsReadAhead() {
        // The replay read camera b's frames first (the frames reader polls partitions unevenly), then a's.
        try (ProductionRecords records = new ProductionRecords(consumer(), T0.plusSeconds(10), T0.plusSeconds(59),
                SLACK)) {
            assertThat(records.take(keys("b", 10, 19), T0.plusSeconds(19))).hasSize(10);
            List<FrameKey> next = new ArrayList<>(keys("a", 10, 19));
            next.addAll(keys("b", 20, 29));
            Map<FrameKey, FrameDetections> found = records.take(next, T0.plusSeconds(29));
            assertThat(found).containsOnlyKeys(next);
            next.forEach(key -> assertThat(found.get(key)).isEqualTo(PRODUCTION.get(key)));
            long upToHorizon = WRITTEN.stream().filter(w -> !w.getKey().isBefore(T0.plusSeconds(5))
                    && !w.getKey().isAfter(T0.plusSeconds(29).plus(SLACK))).count();
            assertThat(records.read()).isLessThanOrEqualTo(upToHorizon + 2);
        }
    }

    private static List<FrameKey> keys(String camera, long firstSeq, long lastSeq) {
        List<FrameKey> keys = new ArrayList<>();
        for (long seq = firstSeq; seq <= lastSeq; seq++) {
            keys.add(new FrameKey(camera, seq));
        }
        return keys;
    }

    private static void write(KafkaProducer<byte[], byte[]> producer, Serializer<FrameDetections> serializer,
                              int partition, String camera, long seq, Instant at) {
        FrameDetections d = FrameDetections.newBuilder()
                .setFrame(FrameRef.newBuilder().setCameraId(camera).setFrameSeq(seq).setCaptureTime(at)
                        .setPartition(partition).setOffset(seq).build())
                .setWidth(640).setHeight(360).setModel(new ModelRef("production", "1")).setDetectedAt(at).build();
        producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), partition, at.toEpochMilli(),
                camera.getBytes(StandardCharsets.UTF_8), serializer.serialize(Topics.DETECTIONS.name(), d)));
        WRITTEN.add(Map.entry(at, new FrameKey(camera, seq)));
        PRODUCTION.put(new FrameKey(camera, seq), d);
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(KafkaClients.consumer(kafka.bootstrapServers(), "it-replay",
                "unused"));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // Large polls: without the horizon, one would read a whole partition at once.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
