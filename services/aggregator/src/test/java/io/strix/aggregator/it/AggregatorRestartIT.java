package io.strix.aggregator.it;

import static io.strix.aggregator.it.ItSupport.key;
import static io.strix.aggregator.it.ItSupport.read;
import static io.strix.aggregator.it.ItSupport.send;
import static io.strix.aggregator.stream.Records.doorZone;
import static io.strix.aggregator.stream.Records.frame;
import static io.strix.aggregator.stream.Records.personAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.stream.AggregatorTopology;
import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a running aggregator (its own JVM, as deployed) and a restart on the same state directory:
 * the tracks and alerts on Kafka are exactly those of a run that was never interrupted: no frame lost or processed
 * twice, the same track ids, every incident STARTED and ENDED once.
 */
class AggregatorRestartIT {
    private static final String CAM = "it-restart";
    private static final int FRAMES = 100;

    @TempDir
    Path stateDir;

    @Test
    void resumesTheSameTracksAndAlertsAfterKill9() throws Exception {
        String app = "it-restart-" + System.nanoTime();
        List<FrameDetections> frames = scene();
        try (KafkaProducer<byte[], byte[]> producer = ItSupport.producer()) {
            send(producer, Topics.RULES, CAM, doorZone(CAM));

            Process first = startAggregator(app, "first");
            try {
                frames.subList(0, 40).forEach(f -> send(producer, Topics.DETECTIONS, CAM, f));
                awaitSnapshot(40);
                // More frames, and the kill while they are being processed: their transaction never commits.
                frames.subList(40, 50).forEach(f -> send(producer, Topics.DETECTIONS, CAM, f));
            } finally {
                first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            Process second = startAggregator(app, "second");
            try {
                frames.subList(50, FRAMES).forEach(f -> send(producer, Topics.DETECTIONS, CAM, f));
                awaitSnapshot(FRAMES);
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }

        List<TrackSnapshot> tracks = read(Topics.TRACKS.name(), key(CAM), r -> r.size() >= FRAMES,
                Duration.ofSeconds(30)).stream().map(Topics.TRACKS::decode).toList();
        List<Alert> alerts = read(Topics.ALERTS.name(), key(CAM),
                r -> r.stream().anyMatch(x -> Topics.ALERTS.decode(x).getPhase() == AlertPhase.ENDED),
                Duration.ofSeconds(30)).stream().map(Topics.ALERTS::decode).toList();

        Reference reference = reference(frames);
        assertThat(tracks).hasSize(FRAMES);
        assertThat(tracks).isEqualTo(reference.tracks);
        assertThat(alerts).isEqualTo(reference.alerts);
        // What that means: the walker keeps id 1 across the crash, the newcomer after it gets id 2, and the
        // walker's incident starts once and ends once.
        assertThat(tracks.get(30).getTracks()).extracting(t -> t.getTrackId()).containsExactly(1L);
        assertThat(tracks.get(70).getTracks()).extracting(t -> t.getTrackId()).containsExactly(1L, 2L);
        assertThat(alerts).extracting(Alert::getPhase).filteredOn(p -> p != AlertPhase.UPDATED)
                .containsExactly(AlertPhase.STARTED, AlertPhase.ENDED);
    }

    /**
     * A person walks from the left into the door zone (0.4..0.8) and out to the right; from frame 60 a second
     * person stands at the bottom left, outside the zone. 5 frames per second of capture time.
     */
    private static List<FrameDetections> scene() {
        List<FrameDetections> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            List<Detection> people = new ArrayList<>();
            people.add(personAt(0.1 + 0.009 * i, 0.6));
            if (i >= 60) {
                people.add(personAt(0.1, 0.95));
            }
            frames.add(frame(CAM, i + 1, i * 200L, people.toArray(Detection[]::new)));
        }
        return frames;
    }

    private record Reference(List<TrackSnapshot> tracks, List<Alert> alerts) {
    }

    /** The same input through the same topology without any interruption. */
    private Reference reference(List<FrameDetections> frames) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reference");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("reference").toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                AggregatorTopology.build(AggregatorTopology.Settings.defaults()), props)) {
            driver.createInputTopic(Topics.RULES.name(), new StringSerializer(), Topics.RULES.valueSerde().serializer())
                    .pipeInput(CAM, doorZone(CAM));
            TestInputTopic<String, FrameDetections> input = driver.createInputTopic(Topics.DETECTIONS.name(),
                    new StringSerializer(), Topics.DETECTIONS.valueSerde().serializer());
            frames.forEach(f -> input.pipeInput(CAM, f));
            return new Reference(
                    driver.createOutputTopic(Topics.TRACKS.name(), new StringDeserializer(),
                            Topics.TRACKS.valueSerde().deserializer()).readValuesToList(),
                    driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                            Topics.ALERTS.valueSerde().deserializer()).readValuesToList());
        }
    }

    private static void awaitSnapshot(long frameSeq) throws Exception {
        List<?> found = read(Topics.TRACKS.name(), key(CAM), r -> r.stream()
                .anyMatch(x -> Topics.TRACKS.decode(x).getFrame().getFrameSeq() == frameSeq), Duration.ofSeconds(90));
        assertThat(found).as("snapshot of frame " + frameSeq).isNotEmpty();
    }

    /** {@code strix aggregator} in a JVM of its own, returned once it says it is ready. */
    private Process startAggregator(String app, String name) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = Path.of("target", "restart-it-" + name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A quick start matters more here than peak speed.
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath,
                AggregatorMain.class.getName(),
                "--bootstrap-servers", ItSupport.bootstrap(), "--http-port", "0",
                "--state-dir", stateDir.resolve("aggregator").toString(), "--application-id", app,
                "--instance-id", name, "--advertised-host", "localhost", "--session-timeout-seconds", "6",
                "--topic-partitions", Integer.toString(ItSupport.PARTITIONS))
                .redirectError(log.toFile())
                .start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("Aggregator ready")) {
                        return line;
                    }
                }
                return null;
            } catch (Exception e) {
                return null;
            }
        });
        String line = ready.get(60, TimeUnit.SECONDS);
        if (line == null) {
            process.destroyForcibly();
            throw new AssertionError("the aggregator did not start; see " + log.toAbsolutePath());
        }
        return process;
    }
}
