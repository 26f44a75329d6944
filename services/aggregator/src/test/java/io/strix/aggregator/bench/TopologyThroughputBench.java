package io.strix.aggregator.bench;

import io.strix.aggregator.rules.RuleEngine;
import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.aggregator.stream.AggregatorTopology;
import io.strix.aggregator.stream.Records;
import io.strix.aggregator.track.ByteTracker;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.RuleSet;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the topology costs per frame around the tracker and the rule engine: the same frames (N cameras, 10 walking
 * people each, a zone rule) through a bare ByteTracker + RuleEngine loop, and through the whole topology in Kafka
 * Streams with exactly_once_v2 on the embedded broker (decode, state read and written back in RocksDB as tracker
 * and engine bytes on every frame, changelogs, encode, transactions every 100 ms).
 * Run: {@code java -cp ... io.strix.aggregator.bench.TopologyThroughputBench [cameras] [frames per camera]}.
 */
public final class TopologyThroughputBench {
    private static final int PEOPLE = 10;

    public static void main(String[] args) throws Exception {
        int cameras = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int framesPerCamera = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<FrameDetections> frames = frames(cameras, framesPerCamera);
        System.out.printf("%d cameras x %d frames, %d people per frame%n", cameras, framesPerCamera, PEOPLE);
        Path kafkaDir = Files.createTempDirectory("strix-bench-kafka");
        try (EmbeddedKafka kafka = EmbeddedKafka.start("localhost", 0, kafkaDir, Map.of())) {
            try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "bench"))) {
                TopicAdmin.ensureTopics(admin, Topics.ALL, 4, -1);
            }
            for (int round = 1; round <= 2; round++) {
                double bare = bare(frames, cameras);
                double topology = topology(frames, cameras, kafka.bootstrapServers());
                System.out.printf("round %d: bare tracker+rules %,8.0f frames/s (%6.1f us/frame)   topology %,8.0f"
                    + " frames/s (%6.1f us/frame)   ratio %.2f%n", round, bare, 1e6 / bare, topology, 1e6 / topology,
                        bare / topology);
            }
        }
    }

    private static double bare(List<FrameDetections> frames, int cameras) {
        List<ByteTracker> trackers = new ArrayList<>();
        List<RuleEngine> engines = new ArrayList<>();
        for (int c = 0; c < cameras; c++) {
            trackers.add(new ByteTracker(camera(c), TrackerConfig.defaults()));
            engines.add(new RuleEngine(camera(c), RuleEngineConfig.defaults()));
        }
        long alerts = 0;
        long start = System.nanoTime();
        for (FrameDetections frame : frames) {
            int c = index(frame);
            TrackSnapshot snapshot = trackers.get(c).update(frame).orElseThrow();
            alerts += engines.get(c).process(rules(c), snapshot).size();
        }
        long nanos = System.nanoTime() - start;
        if (alerts < 0) {
            throw new IllegalStateException();
        }
        return frames.size() * 1e9 / nanos;
    }

    /** Everything produced to strix.detections first, then the time until the last snapshot is committed. */
    private static double topology(List<FrameDetections> frames, int cameras, String bootstrap) throws Exception {
        String app = "bench-" + System.nanoTime();
        Path stateDir = Files.createTempDirectory("strix-bench");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, "bench"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int c = 0; c < cameras; c++) {
                producer.send(new ProducerRecord<>(Topics.RULES.name(), camera(c),
                        Topics.RULES.valueSerde().serializer().serialize(Topics.RULES.name(), rules(c))));
            }
            for (FrameDetections frame : frames) {
                producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), frame.getFrame().getCameraId(),
                        Topics.DETECTIONS.valueSerde().serializer().serialize(Topics.DETECTIONS.name(), frame)));
            }
            producer.flush();
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        Map<String, Object> consumerProps = KafkaClients.consumer(bootstrap, "bench-reader", "unused");
        consumerProps.remove("group.id");
        try (KafkaConsumer<byte[], byte[]> tracks = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = tracks.partitionsFor(Topics.TRACKS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            tracks.assign(partitions);
            tracks.seekToEnd(partitions);
            partitions.forEach(tracks::position);
            KafkaStreams streams = new KafkaStreams(AggregatorTopology.build(AggregatorTopology.Settings.defaults()),
                    props);
            long start = System.nanoTime();
            streams.start();
            long seen = 0;
            long firstAt = 0;
            while (seen < frames.size()) {
                int n = tracks.poll(Duration.ofMillis(100)).count();
                if (n > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                }
                seen += n;
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
                    throw new IllegalStateException("only " + seen + " snapshots after 5 minutes");
                }
            }
            long end = System.nanoTime();
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
            System.out.printf("  (start-up until the first snapshot: %.1f s)%n", (firstAt - start) / 1e9);
            // Measured from the first snapshot: start-up (group join, changelog topics) is not throughput.
            return (frames.size() - 1) * 1e9 / (end - firstAt);
        }
    }

    private static List<FrameDetections> frames(int cameras, int framesPerCamera) {
        List<FrameDetections> frames = new ArrayList<>();
        for (int f = 0; f < framesPerCamera; f++) {
            for (int c = 0; c < cameras; c++) {
                Detection[] people = new Detection[PEOPLE];
                for (int p = 0; p < PEOPLE; p++) {
                    double x = 0.05 + ((p * 0.09 + f * 0.002 * (1 + p % 3)) % 0.9);
                    people[p] = Records.personAt(x, 0.3 + 0.06 * p);
                }
                frames.add(Records.frame(camera(c), f + 1, f * 200L, people));
            }
        }
        return frames;
    }

    private static RuleSet rules(int camera) {
        return Records.doorZone(camera(camera));
    }

    private static String camera(int c) {
        return "bench-" + c;
    }

    private static int index(FrameDetections frame) {
        return Integer.parseInt(frame.getFrame().getCameraId().substring(6));
    }
}
