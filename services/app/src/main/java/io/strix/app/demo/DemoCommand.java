package io.strix.app.demo;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.AggregatorService;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.lifecycle.Lifecycle;
import io.strix.detector.DetectorMain;
import io.strix.detector.DetectorService;
import io.strix.ingest.IngestMain;
import io.strix.ingest.IngestService;
import io.strix.ingest.source.Sources;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.RuleSet;
import io.strix.wire.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code strix demo}: the whole system in one process. A real embedded Kafka broker (unless --bootstrap-servers
 * names a cluster), simulated cameras (camsim's street, crossing, parking and night scenes), ingest, a detector with
 * the shipped model and the aggregator with preset rules, so the dashboard shows tracks and alerts within a minute.
 */
public final class DemoCommand implements StrixCommand {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final List<String> SCENARIOS = List.of("street", "crossing", "parking", "night");

    public static final ConfigKey<String> DEMO_BOOTSTRAP = ConfigKey.string("demo.bootstrap.servers", null,
            "Use this Kafka cluster instead of starting the embedded broker.").withFlag("--bootstrap-servers");
    public static final ConfigKey<Integer> CAMERAS = ConfigKey.integer("demo.cameras", 4, 1, 16,
            "Simulated cameras (street, crossing, parking, night, then more seeds of them).").withFlag("--cameras");
    public static final ConfigKey<Integer> FPS = ConfigKey.integer("demo.fps", 3, 1, 30,
            "Frames per second of each simulated camera.").withFlag("--fps");
    public static final ConfigKey<Integer> DURATION = ConfigKey.integer("demo.duration.seconds", 0, 0, 86_400,
            "Stop by itself after this many seconds; 0 runs until Ctrl-C.").withFlag("--duration");
    public static final ConfigKey<Path> MODEL = ConfigKey.path("demo.model", null,
            "ONNX model for the detector; the shipped model when unset.").withFlag("--model");

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Run the whole system: broker, simulated cameras, ingest, detector, aggregator and the dashboard.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CAMERAS, CommonKeys.HTTP_PORT, DURATION, FPS, MODEL, DEMO_BOOTSTRAP);
    }

    @Override
    public int run(Config config) throws Exception {
        Deque<AutoCloseable> running = new ArrayDeque<>();
        Path work = Files.createTempDirectory("strix-demo");
        try {
            String bootstrap = config.find(DEMO_BOOTSTRAP).orElse(null);
            if (bootstrap == null) {
                EmbeddedKafka kafka = EmbeddedKafka.start("localhost", 0, work.resolve("kafka"), Map.of());
                running.push(kafka);
                bootstrap = kafka.bootstrapServers();
            }
            int cameras = config.get(CAMERAS);
            List<String> ids = new ArrayList<>();
            StringBuilder specs = new StringBuilder();
            for (int i = 0; i < cameras; i++) {
                String scenario = SCENARIOS.get(i % SCENARIOS.size());
                String id = i < SCENARIOS.size() ? scenario : scenario + "-" + (i / SCENARIOS.size() + 1);
                ids.add(id);
                specs.append(id).append("=sim://").append(scenario).append("?seed=").append(i + 1)
                        .append("&fps=").append(config.get(FPS)).append("&size=640x360,fps=")
                        .append(config.get(FPS)).append('\n');
            }
            String partitions = "4";

            IngestService ingest = new IngestService(IngestMain.settings(Config.of(IngestMain.command().keys(),
                    Map.of("bootstrap.servers", bootstrap, "http.port", "0", "ingest.camera", specs.toString(),
                            "ingest.instance.id", "demo-ingest", "topic.partitions", partitions))), Sources.factory());
            running.push(ingest);
            ingest.start();
            publishRules(bootstrap, ids);

            Map<String, String> detectorFlags = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "http.port", "0",
                    "detector.instance.id", "demo-detector", "topic.partitions", partitions,
                    "detector.max.frame.age.ms", "3000", "detector.confidence", "0.15"));
            config.find(MODEL).ifPresent(m -> detectorFlags.put("detector.model", m.toString()));
            DetectorService detector = new DetectorService(DetectorMain.settings(Config.of(
                    DetectorMain.command().keys(), detectorFlags)));
            running.push(detector);
            detector.start();

            AggregatorService aggregator = new AggregatorService(AggregatorMain.settings(Config.of(
                    AggregatorMain.command().keys(), Map.of("bootstrap.servers", bootstrap,
                            "http.port", Integer.toString(config.get(CommonKeys.HTTP_PORT)),
                            "aggregator.state.dir", work.resolve("aggregator").toString(),
                            "aggregator.instance.id", "demo-aggregator", "topic.partitions", partitions,
                            // The shipped model is an early checkpoint whose scores run low (models/README.md).
                            "aggregator.track.high.score", "0.3", "aggregator.track.new.score", "0.35"))));
            running.push(aggregator);
            int port = aggregator.start();

            System.out.println("Dashboard at http://localhost:" + port + "/");
            System.out.println("Kafka at " + bootstrap + "; cameras " + String.join(", ", ids) + "; Ctrl-C stops.");
            System.out.flush();
            Lifecycle lifecycle = new Lifecycle("demo", () -> closeAll(running));
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            if (config.get(DURATION) > 0) {
                timer.schedule(lifecycle::stop, config.get(DURATION), TimeUnit.SECONDS);
            }
            detector.onFailure(lifecycle::stop);
            aggregator.onFatal(lifecycle::stop);
            lifecycle.awaitShutdown();
            timer.shutdownNow();
            return 0;
        } finally {
            closeAll(running);
        }
    }

    private static void publishRules(String bootstrap, List<String> cameras) throws Exception {
        try (KafkaProducer<String, RuleSet> producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, "demo-rules"),
                Topics.RULES.keySerde().serializer(), Topics.RULES.valueSerde().serializer())) {
            for (String camera : cameras) {
                producer.send(new ProducerRecord<>(Topics.RULES.name(), camera, DemoRules.forCamera(camera))).get();
            }
        }
    }

    /** Stops the parts in the reverse order of their start; one failing to stop does not keep the others running. */
    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }

}
