package io.strix.aggregator.stream;

import static io.strix.aggregator.stream.Records.doorZone;
import static io.strix.aggregator.stream.Records.frame;
import static io.strix.aggregator.stream.Records.personAt;
import static io.strix.aggregator.stream.Records.skipped;
import static org.assertj.core.api.Assertions.assertThat;

import io.strix.schema.Box;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import io.strix.wire.DeadLetters;
import io.strix.wire.Mutator;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the aggregator's real topology a seeded corpus of broken and hostile records on strix.detections and
 * strix.rules (mutated valid records, garbage, records that decode but hold NaN boxes, absurd times, thousands of
 * detections or zones): each one either goes through or to strix.dlq with a reason, never stops the stream thread
 * (an exception out of a processor would), and good frames after them are tracked as usual. The seed is printed;
 * {@code -Dstrix.fuzz.seed=N} replays a run.
 */
class TopologyFuzzTest {
    private static final long SEED = Long.getLong("strix.fuzz.seed", 20261127L);
    private static final int INPUTS = Integer.getInteger("strix.fuzz.inputs", 1_000);
    private static final String CAM = "fuzz-cam";

    @TempDir
    Path stateDir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a speed test: the run takes seconds
    void brokenAndHostileRecordsNeverStopTheTopology() {
        System.err.printf("TopologyFuzzTest: seed %d, %d inputs (-Dstrix.fuzz.seed=%d to replay)%n", SEED, INPUTS,
                SEED);
        Mutator mutator = new Mutator(SEED);
        List<byte[]> detectionSeeds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            detectionSeeds.add(encode(frame(CAM, i + 1, i * 200L, personAt(0.3 + 0.01 * i, 0.6),
                    personAt(0.6, 0.5 + 0.01 * i))));
        }
        detectionSeeds.add(encode(skipped(CAM, 9, 1600)));
        List<byte[]> ruleSeeds = List.of(encodeRules(doorZone(CAM)), encodeRules(lineAndRules()));
        List<byte[]> everything = new ArrayList<>(detectionSeeds);
        everything.addAll(ruleSeeds);

        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<byte[], byte[]> detections = driver.createInputTopic(Topics.DETECTIONS.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> rules = driver.createInputTopic(Topics.RULES.name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<String, TrackSnapshot> tracks = driver.createOutputTopic(Topics.TRACKS.name(),
                    new StringDeserializer(), Topics.TRACKS.valueSerde().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(Topics.DLQ.name(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            byte[] key = CAM.getBytes(StandardCharsets.UTF_8);

            int deadLetters = 0;
            for (int i = 0; i < INPUTS; i++) {
                boolean rule = i % 4 == 3;
                byte[] input = i % 25 == 0 ? mutator.randomBytes(400)
                        : mutator.mutate(rule ? ruleSeeds.get(i % 2) : detectionSeeds.get(i % detectionSeeds.size()),
                        everything);
                String what = "seed " + SEED + ", input " + i + " on " + (rule ? "strix.rules" : "strix.detections")
                        + " (" + mutator.lastMutation() + "): " + Mutator.hex(input);
                pipe(rule ? rules : detections, key, input, what);
                for (TestRecord<byte[], byte[]> letter : dlq.readRecordsToList()) {
                    assertThat(header(letter, DeadLetters.REASON)).as(what).isNotBlank();
                    assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).as(what).isNotBlank();
                    deadLetters++;
                }
            }
            for (FrameDetections hostile : hostileDetections()) {
                pipe(detections, hostile.getFrame().getCameraId().getBytes(StandardCharsets.UTF_8), encode(hostile),
                        "hostile detections of frame " + hostile.getFrame());
            }
            for (RuleSet hostile : hostileRules()) {
                pipe(rules, key, encodeRules(hostile), "hostile rules version " + hostile.getVersion());
            }
            System.err.printf("TopologyFuzzTest: %d dead letters%n", deadLetters);
            assertThat(deadLetters).as("most broken records go to the DLQ").isGreaterThan(INPUTS / 3);

            // Still tracking: a new camera's frames get snapshots with a confirmed track.
            tracks.readRecordsToList();
            for (int seq = 1; seq <= 5; seq++) {
                pipe(detections, "after-fuzz".getBytes(StandardCharsets.UTF_8),
                        encode(frame("after-fuzz", seq, seq * 200L, personAt(0.2 + 0.01 * seq, 0.5))), "good frame");
            }
            List<TrackSnapshot> after = tracks.readValuesToList();
            assertThat(after).hasSize(5);
            assertThat(after.get(4).getTracks()).hasSize(1);
        }
    }

    private static void pipe(TestInputTopic<byte[], byte[]> topic, byte[] key, byte[] value, String what) {
        try {
            topic.pipeInput(key, value);
        } catch (RuntimeException e) {
            throw new AssertionError("the topology failed on " + what + ": " + e, e);
        }
    }

    /** Records that decode but whose values no detector should ever write. */
    private static List<FrameDetections> hostileDetections() {
        List<FrameDetections> hostile = new ArrayList<>();
        float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.MIN_VALUE, 1e20f, -1e20f, 0f, -0.5f, 2f};
        long seq = 100;
        for (float a : odd) {
            for (float b : new float[] {0.5f, a}) {
                hostile.add(frameWith(CAM, ++seq, seq * 200, new Detection(0, "person", 0.9f, new Box(a, 0.5f, 0.1f, b)),
                        new Detection(0, "person", a, new Box(0.5f, a, b, 0.2f)), personAt(0.5, 0.5)));
            }
        }
        // Times at the ends of what timestamp-millis holds, stepping back and forth.
        for (long millis : new long[] {Long.MAX_VALUE / 2, Long.MIN_VALUE / 2, 0, Long.MAX_VALUE / 2, 1}) {
            hostile.add(frameWith(CAM, ++seq, millis, personAt(0.5, 0.5)));
        }
        hostile.add(frameWith(CAM, Long.MAX_VALUE, 0, personAt(0.5, 0.5)));
        hostile.add(frameWith("time-cam", Long.MIN_VALUE, Long.MIN_VALUE / 2, personAt(0.5, 0.5)));
        // A frame with far more boxes than a detector writes, twice (the second is matched against the first).
        for (int round = 0; round < 2; round++) {
            java.util.Random places = new java.util.Random(round);
            List<Detection> crowd = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                crowd.add(new Detection(i % 80, "person", 0.5f + places.nextFloat() / 2,
                        new Box(places.nextFloat(), places.nextFloat(), 0.01f, 0.02f)));
            }
            hostile.add(frameWith("crowd-cam", round + 1, round * 200L, crowd.toArray(Detection[]::new)));
        }
        return hostile;
    }

    private static List<RuleSet> hostileRules() {
        List<RuleSet> hostile = new ArrayList<>();
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            zones.add(new Zone("z" + i, "", List.of(new Point(0.1f, 0.1f), new Point(0.2f, 0.1f),
                    new Point(0.2f, 0.2f)), true, false, new RuleFilter(List.of(), 0f, 0f)));
        }
        hostile.add(new RuleSet(CAM, 1L, zones, List.of(), List.of(), List.of(), Records.EPOCH));
        List<Point> manyPoints = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            double angle = 2 * Math.PI * i / 5_000;
            manyPoints.add(new Point((float) (0.5 + 0.4 * Math.cos(angle)), (float) (0.5 + 0.4 * Math.sin(angle))));
        }
        hostile.add(new RuleSet(CAM, 2L, List.of(new Zone("round", "", manyPoints, true, false,
                new RuleFilter(List.of(), 0f, 0f))), List.of(), List.of(), List.of(), Records.EPOCH));
        hostile.add(new RuleSet(CAM, 3L, List.of(new Zone("nan", "", List.of(new Point(Float.NaN, 0.1f),
                new Point(0.2f, Float.POSITIVE_INFINITY), new Point(0.2f, 0.2f)), true, false,
                new RuleFilter(List.of(), Float.NaN, Float.NEGATIVE_INFINITY))), List.of(), List.of(), List.of(),
                Records.EPOCH));
        return hostile;
    }

    private static RuleSet lineAndRules() {
        RuleSet door = doorZone(CAM);
        return RuleSet.newBuilder(door).setLines(List.of(new io.strix.schema.Line("gate", "Gate",
                        new Point(0.1f, 0.9f), new Point(0.9f, 0.9f), io.strix.schema.CrossingDirection.ANY,
                        new RuleFilter(List.of("person"), 0.5f, 10f))))
                .setDwellRules(List.of(new io.strix.schema.DwellRule("loiter", "door", 30f,
                        new RuleFilter(List.of(), 0f, 0f))))
                .setCountRules(List.of(new io.strix.schema.CountRule("crowd", "door", 3, 5f,
                        new RuleFilter(List.of(), 0f, 0f))))
                .build();
    }

    private static FrameDetections frameWith(String camera, long seq, long millis, Detection... detections) {
        Instant at = Instant.ofEpochMilli(millis);
        return new FrameDetections(new FrameRef(camera, seq, at, 0, seq), 1280, 720, new ModelRef("test", "1"), null,
                null, List.of(detections), at, "test");
    }

    private static byte[] encode(FrameDetections detections) {
        return Topics.DETECTIONS.valueSerde().serializer().serialize(Topics.DETECTIONS.name(), detections);
    }

    private static byte[] encodeRules(RuleSet rules) {
        return Topics.RULES.valueSerde().serializer().serialize(Topics.RULES.name(), rules);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private TopologyTestDriver driver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "strix-aggregator-fuzz");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(AggregatorTopology.build(AggregatorTopology.Settings.defaults()), props);
    }
}
