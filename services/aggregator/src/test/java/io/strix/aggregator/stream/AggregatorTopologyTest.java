package io.strix.aggregator.stream;

import static io.strix.aggregator.stream.Records.doorZone;
import static io.strix.aggregator.stream.Records.frame;
import static io.strix.aggregator.stream.Records.personAt;
import static io.strix.aggregator.stream.Records.skipped;
import static org.assertj.core.api.Assertions.assertThat;

import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.FrameDetections;
import io.strix.schema.Point;
import io.strix.schema.RuleSet;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.DeadLetters;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregatorTopologyTest {
    private static final String APP = "strix-aggregator-test";
    private static final String CAM = "cam-1";

    @TempDir
    Path stateDir;

    private final List<Driver> drivers = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(d -> d.driver.close());
    }

    @Test
    void emitsOneSnapshotPerFrameWithStableTrackIds() {
        Driver d = driver("a");
        for (int i = 0; i < 10; i++) {
            long seq = i + 1;
            if (seq == 6) {
                d.detect(skipped(CAM, seq, i * 200L));
            } else {
                d.detect(frame(CAM, seq, i * 200L, personAt(0.1 + 0.02 * i, 0.9), personAt(0.7 - 0.02 * i, 0.5)));
            }
        }
        List<KeyValue<String, TrackSnapshot>> out = d.tracks.readKeyValuesToList();

        assertThat(out).hasSize(10);
        assertThat(out).allSatisfy(kv -> assertThat(kv.key).isEqualTo(CAM));
        assertThat(out).extracting(kv -> kv.value.getFrame().getFrameSeq())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        // Confirmed on the second frame, then the same two ids on every frame, the skipped one included.
        assertThat(ids(out.get(0).value)).isEmpty();
        for (KeyValue<String, TrackSnapshot> kv : out.subList(1, 10)) {
            assertThat(ids(kv.value)).containsExactly(1L, 2L);
        }
        assertThat(d.driver.getKeyValueStore(AggregatorTopology.LATEST_TRACKS_STORE).get(CAM))
                .isEqualTo(out.get(9).value);
    }

    @Test
    void ignoresDuplicateAndOlderFrames() {
        Driver d = driver("a");
        d.detect(frame(CAM, 1, 0, personAt(0.2, 0.9)));
        d.detect(frame(CAM, 2, 200, personAt(0.22, 0.9)));
        d.detect(frame(CAM, 2, 200, personAt(0.22, 0.9)));
        d.detect(frame(CAM, 1, 0, personAt(0.2, 0.9)));
        d.detect(frame(CAM, 3, 400, personAt(0.24, 0.9)));

        assertThat(d.tracks.readValuesToList()).extracting(s -> s.getFrame().getFrameSeq())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void keepsCamerasApart() {
        Driver d = driver("a");
        for (int i = 0; i < 4; i++) {
            d.detect(frame("cam-1", i + 1, i * 200L, personAt(0.2, 0.9)));
            d.detect(frame("cam-2", i + 1, i * 200L, personAt(0.5, 0.5), personAt(0.8, 0.5)));
        }
        Map<String, TrackSnapshot> last = new HashMap<>();
        d.tracks.readKeyValuesToList().forEach(kv -> last.put(kv.key, kv.value));

        assertThat(ids(last.get("cam-1"))).containsExactly(1L);
        assertThat(ids(last.get("cam-2"))).containsExactly(1L, 2L);
    }

    @Test
    void raisesAnIncidentWhenSomeoneEntersAZoneAndEndsItWhenTheyLeave() {
        Driver d = driver("a");
        d.rules(CAM, doorZone(CAM));
        long t = 0;
        long seq = 0;
        // Walks right along y = 0.6 from x = 0.1 through the zone (0.4..0.8) and out, at 5 frames per second.
        for (double x = 0.1; x <= 0.95; x += 0.02) {
            d.detect(frame(CAM, ++seq, t, personAt(x, 0.6)));
            t += 200;
        }
        // Then nobody, for longer than the presence grace.
        for (int i = 0; i < 15; i++) {
            d.detect(frame(CAM, ++seq, t));
            t += 200;
        }
        List<Alert> alerts = d.alerts.readValuesToList();

        assertThat(alerts).extracting(Alert::getPhase).startsWith(AlertPhase.STARTED).endsWith(AlertPhase.ENDED);
        assertThat(alerts).extracting(Alert::getPhase).filteredOn(p -> p != AlertPhase.UPDATED).hasSize(2);
        Alert started = alerts.get(0);
        assertThat(started.getIncidentId()).startsWith("cam-1/door/zone-enter/");
        assertThat(started.getTrackIds()).containsExactly(1L);
        assertThat(started.getClassNames()).containsExactly("person");
        assertThat(alerts).extracting(Alert::getIncidentId).containsOnly(started.getIncidentId());
        Alert ended = alerts.get(alerts.size() - 1);
        assertThat(ended.getFirstFrame()).isEqualTo(started.getFirstFrame());
        assertThat(ended.getLastFrame().getFrameSeq()).isGreaterThan(started.getLastFrame().getFrameSeq());
    }

    @Test
    void camerasWithoutRulesRaiseNothingAndKeepNoEngineState() {
        Driver d = driver("a");
        for (int i = 0; i < 10; i++) {
            d.detect(frame(CAM, i + 1, i * 200L, personAt(0.6, 0.6)));
        }
        assertThat(d.alerts.isEmpty()).isTrue();
        assertThat(d.driver.getKeyValueStore(AggregatorTopology.ENGINE_STORE).get(CAM)).isNull();
    }

    @Test
    void removingTheRulesEndsTheOpenIncident() {
        Driver d = driver("a");
        d.rules(CAM, doorZone(CAM));
        for (int i = 0; i < 5; i++) {
            d.detect(frame(CAM, i + 1, i * 200L, personAt(0.6, 0.6)));
        }
        d.rulesTombstone(CAM);
        d.detect(frame(CAM, 6, 1000, personAt(0.6, 0.6)));

        List<Alert> alerts = d.alerts.readValuesToList();
        assertThat(alerts).extracting(Alert::getPhase).containsExactly(AlertPhase.STARTED, AlertPhase.ENDED);
        assertThat(alerts.get(1).getMessage()).contains("rule removed");
        assertThat(d.driver.getKeyValueStore(AggregatorTopology.ENGINE_STORE).get(CAM)).isNull();
    }

    @Test
    void sendsUndecodableDetectionsToTheDlqAndCarriesOn() {
        Driver d = driver("a");
        d.detect(frame(CAM, 1, 0, personAt(0.2, 0.9)));
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        d.rawDetections.pipeInput(CAM.getBytes(StandardCharsets.UTF_8), garbage);
        d.detect(frame(CAM, 2, 200, personAt(0.22, 0.9)));

        List<TestRecord<byte[], byte[]>> dlq = d.dlq.readRecordsToList();
        assertThat(dlq).hasSize(1);
        TestRecord<byte[], byte[]> letter = dlq.get(0);
        assertThat(letter.key()).isEqualTo(CAM.getBytes(StandardCharsets.UTF_8));
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.DETECTIONS.name());
        assertThat(header(letter.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(header(letter.headers(), DeadLetters.SERVICE)).isEqualTo("aggregator");
        assertThat(header(letter.headers(), DeadLetters.REASON)).contains("not Avro single-object encoding");
        assertThat(d.tracks.readValuesToList()).extracting(s -> s.getFrame().getFrameSeq()).containsExactly(1L, 2L);
    }

    @Test
    void sendsDetectionsUnderAnotherCamerasKeyToTheDlq() {
        Driver d = driver("a");
        d.detections.pipeInput("cam-2", frame(CAM, 1, 0, personAt(0.2, 0.9)));

        List<TestRecord<byte[], byte[]>> dlq = d.dlq.readRecordsToList();
        assertThat(dlq).hasSize(1);
        assertThat(header(dlq.get(0).headers(), DeadLetters.REASON))
                .isEqualTo("key 'cam-2' differs from frame.cameraId 'cam-1'; records are keyed by camera id");
        assertThat(header(dlq.get(0).headers(), DeadLetters.FINGERPRINT)).startsWith("0x");
        assertThat(d.tracks.isEmpty()).isTrue();
    }

    @Test
    void rejectsBadRuleSetsToTheDlqAndKeepsThePreviousRules() {
        Driver d = driver("a");
        d.rules(CAM, doorZone(CAM));
        d.rawRules.pipeInput(CAM.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 1, 2, 3});
        RuleSet selfCrossing = doorZone(CAM);
        // The outline 0.4,0.4 -> 0.8,0.8 -> 0.8,0.4 -> 0.4,0.8 crosses itself (a bow tie).
        selfCrossing.getZones().get(0).setPolygon(List.of(new Point(0.4f, 0.4f), new Point(0.8f, 0.8f),
                new Point(0.8f, 0.4f), new Point(0.4f, 0.8f)));
        d.rules(CAM, selfCrossing);

        List<TestRecord<byte[], byte[]>> dlq = d.dlq.readRecordsToList();
        assertThat(dlq).hasSize(2);
        assertThat(header(dlq.get(0).headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.RULES.name());
        assertThat(header(dlq.get(0).headers(), DeadLetters.REASON)).startsWith("truncated");
        assertThat(header(dlq.get(1).headers(), DeadLetters.REASON))
                .startsWith("invalid rule set, the camera's previous rules stay in force: zones[0].polygon: edges");
        assertThat(d.driver.<String, RuleSet>getKeyValueStore(AggregatorTopology.RULES_STORE).get(CAM))
                .isEqualTo(doorZone(CAM));
    }

    /**
     * A restart on another machine: the new instance starts with empty stores and Kafka Streams restores them from
     * their changelog topics before processing. Here the second driver's stores are filled from the changelog
     * records the first one wrote, as the restore would, and it must go on exactly as if nothing had happened.
     */
    @Test
    void resumesTheSameTrackIdsAndIncidentsFromTheChangelog() {
        List<FrameDetections> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double x = 0.1 + 0.02 * i;
            // A newcomer from frame 20 on, so that ids are handed out after the restart too.
            frames.add(i < 20 ? frame(CAM, i + 1, i * 200L, personAt(x, 0.6))
                    : frame(CAM, i + 1, i * 200L, personAt(x, 0.6), personAt(0.9, 0.95)));
        }
        Driver reference = driver("reference");
        reference.rules(CAM, doorZone(CAM));
        frames.forEach(reference::detect);
        List<TrackSnapshot> expectedTracks = reference.tracks.readValuesToList();
        List<Alert> expectedAlerts = reference.alerts.readValuesToList();

        Driver first = driver("first");
        first.rules(CAM, doorZone(CAM));
        frames.subList(0, 25).forEach(first::detect);
        List<TrackSnapshot> tracks = new ArrayList<>(first.tracks.readValuesToList());
        List<Alert> alerts = new ArrayList<>(first.alerts.readValuesToList());
        Map<String, Map<String, byte[]>> changelogs = new HashMap<>();
        for (String store : List.of(AggregatorTopology.TRACKER_STORE, AggregatorTopology.ENGINE_STORE,
                AggregatorTopology.RULES_STORE)) {
            changelogs.put(store, first.changelog(store));
        }
        assertThat(changelogs.get(AggregatorTopology.TRACKER_STORE)).containsKey(CAM);
        assertThat(changelogs.get(AggregatorTopology.ENGINE_STORE)).containsKey(CAM);
        first.driver.close();
        drivers.remove(first);

        Driver second = driver("second");
        changelogs.forEach(second::restore);
        frames.subList(25, 40).forEach(second::detect);
        tracks.addAll(second.tracks.readValuesToList());
        alerts.addAll(second.alerts.readValuesToList());

        assertThat(tracks).isEqualTo(expectedTracks);
        assertThat(alerts).isEqualTo(expectedAlerts);
        assertThat(ids(tracks.get(39))).containsExactly(1L, 2L);
        assertThat(alerts).extracting(Alert::getPhase).contains(AlertPhase.STARTED);
    }

    private static List<Long> ids(TrackSnapshot snapshot) {
        return snapshot.getTracks().stream().map(Track::getTrackId).toList();
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Driver driver(String name) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(name).toString());
        Driver d = new Driver(new TopologyTestDriver(AggregatorTopology.build(AggregatorTopology.Settings.defaults()),
                props));
        drivers.add(d);
        return d;
    }

    private static final class Driver {
        final TopologyTestDriver driver;
        final TestInputTopic<String, FrameDetections> detections;
        final TestInputTopic<byte[], byte[]> rawDetections;
        final TestInputTopic<String, RuleSet> rules;
        final TestInputTopic<byte[], byte[]> rawRules;
        final TestOutputTopic<String, TrackSnapshot> tracks;
        final TestOutputTopic<String, Alert> alerts;
        final TestOutputTopic<byte[], byte[]> dlq;

        Driver(TopologyTestDriver driver) {
            this.driver = driver;
            detections = driver.createInputTopic(Topics.DETECTIONS.name(), new StringSerializer(),
                    Topics.DETECTIONS.valueSerde().serializer());
            rawDetections = driver.createInputTopic(Topics.DETECTIONS.name(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            rules = driver.createInputTopic(Topics.RULES.name(), new StringSerializer(),
                    Topics.RULES.valueSerde().serializer());
            rawRules = driver.createInputTopic(Topics.RULES.name(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            tracks = driver.createOutputTopic(Topics.TRACKS.name(), new StringDeserializer(),
                    Topics.TRACKS.valueSerde().deserializer());
            alerts = driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                    Topics.ALERTS.valueSerde().deserializer());
            dlq = driver.createOutputTopic(Topics.DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        void detect(FrameDetections frame) {
            detections.pipeInput(frame.getFrame().getCameraId(), frame);
        }

        void rules(String cameraId, RuleSet ruleSet) {
            rules.pipeInput(cameraId, ruleSet);
        }

        void rulesTombstone(String cameraId) {
            rules.pipeInput(cameraId, null);
        }

        /** The latest value per key that the store's changelog topic received, as a restore would apply them. */
        Map<String, byte[]> changelog(String store) {
            TestOutputTopic<String, byte[]> topic = driver.createOutputTopic(APP + "-" + store + "-changelog",
                    new StringDeserializer(), new ByteArrayDeserializer());
            Map<String, byte[]> latest = new HashMap<>();
            topic.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
            return latest;
        }

        void restore(String store, Map<String, byte[]> changelog) {
            KeyValueStore<String, Object> target = driver.getKeyValueStore(store);
            changelog.forEach((key, bytes) -> target.put(key, store.equals(AggregatorTopology.RULES_STORE)
                    ? Topics.RULES.valueSerde().deserializer().deserialize(Topics.RULES.name(), bytes) : bytes));
        }
    }
}
