package io.strix.app.demo;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.AggregatorService;
import io.strix.common.config.Config;
import io.strix.common.kafka.KafkaClients;
import io.strix.detector.DetectorMain;
import io.strix.detector.DetectorService;
import io.strix.ingest.IngestMain;
import io.strix.ingest.IngestService;
import io.strix.ingest.source.Sources;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.RuleSet;
import io.strix.wire.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process: a real embedded Kafka broker (unless a cluster is named), camsim cameras, ingest,
 * a detector with the shipped model and the aggregator with preset rules. {@code strix demo} runs it for people to
 * watch, {@code strix bench} to measure it. Closing it stops the parts in the reverse order of their start.
 */
public final class DemoSystem implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSystem.class);
    private static final List<String> SCENARIOS = List.of("street", "crossing", "parking", "night");
    private static final String PARTITIONS = "4";

    /**
     * What to run.
     *
     * @param httpPort         the aggregator's port (dashboard, WebSocket, REST); 0 picks a free one
     * @param bootstrapServers an external cluster; the embedded broker when empty
     */
    public record Options(int cameras, int fps, int httpPort, Optional<Path> model,
                          Optional<String> bootstrapServers) {
    }

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Path work;
    private final List<String> cameraIds;
    private String bootstrapServers;
    private IngestService ingest;
    private DetectorService detector;
    private AggregatorService aggregator;
    private int httpPort;

    private DemoSystem(Path work, List<String> cameraIds) {
        this.work = work;
        this.cameraIds = cameraIds;
    }

    /** Starts every part and returns once the aggregator serves HTTP; on a failure stops what had started. */
    public static DemoSystem start(Options options) throws Exception {
        DemoSystem system = new DemoSystem(Files.createTempDirectory("strix-demo"), cameraIds(options.cameras()));
        try {
            system.startParts(options);
            return system;
        } catch (Exception | Error e) {
            system.close();
            throw e;
        }
    }

    /** The camera ids: street, crossing, parking, night, then street-2, crossing-2, ... */
    public static List<String> cameraIds(int cameras) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < cameras; i++) {
            String scenario = SCENARIOS.get(i % SCENARIOS.size());
            ids.add(i < SCENARIOS.size() ? scenario : scenario + "-" + (i / SCENARIOS.size() + 1));
        }
        return ids;
    }

    private void startParts(Options options) throws Exception {
        bootstrapServers = options.bootstrapServers().orElse(null);
        if (bootstrapServers == null) {
            EmbeddedKafka kafka = EmbeddedKafka.start("localhost", 0, work.resolve("kafka"), Map.of());
            running.push(kafka);
            bootstrapServers = kafka.bootstrapServers();
        }
        Map<String, String> detectorFlags = new HashMap<>(Map.of("bootstrap.servers", bootstrapServers,
                "http.port", "0", "detector.instance.id", "demo-detector", "topic.partitions", PARTITIONS,
                // Below the detector's default 0.25 so ByteTrack's second association (from 0.1) sees low-score boxes.
                "detector.max.frame.age.ms", "3000", "detector.confidence", "0.15"));
        options.model().ifPresent(m -> detectorFlags.put("detector.model", m.toString()));
        detector = new DetectorService(DetectorMain.settings(Config.of(DetectorMain.command().keys(), detectorFlags)));
        running.push(detector);
        detector.start(); // creates the topics
        publishRules();

        aggregator = new AggregatorService(AggregatorMain.settings(Config.of(AggregatorMain.command().keys(),
                Map.of("bootstrap.servers", bootstrapServers, "http.port", Integer.toString(options.httpPort()),
                        "aggregator.state.dir", work.resolve("aggregator").toString(),
                        "aggregator.instance.id", "demo-aggregator", "topic.partitions", PARTITIONS))));
        running.push(aggregator);
        httpPort = aggregator.start();

        // The cameras start last, once the detector and the aggregator run: frames queued while the model loads would
        // be a backlog that the first minute of a demo or a benchmark works off.
        ingest = new IngestService(IngestMain.settings(Config.of(IngestMain.command().keys(),
                Map.of("bootstrap.servers", bootstrapServers, "http.port", "0",
                        "ingest.camera", cameraSpecs(options.fps()), "ingest.instance.id", "demo-ingest",
                        "topic.partitions", PARTITIONS))), Sources.factory());
        running.push(ingest);
        ingest.start();
    }

    /** The ingest's --camera values: one camsim camera per id, each scenario with its own seed. */
    private String cameraSpecs(int fps) {
        StringBuilder specs = new StringBuilder();
        for (int i = 0; i < cameraIds.size(); i++) {
            String scenario = SCENARIOS.get(i % SCENARIOS.size());
            specs.append(cameraIds.get(i)).append("=sim://").append(scenario).append("?seed=").append(i + 1)
                    .append("&fps=").append(fps).append("&size=640x360,fps=").append(fps).append('\n');
        }
        return specs.toString();
    }

    private void publishRules() throws Exception {
        try (KafkaProducer<String, RuleSet> producer = new KafkaProducer<>(
                KafkaClients.producer(bootstrapServers, "demo-rules"), Topics.RULES.keySerde().serializer(),
                Topics.RULES.valueSerde().serializer())) {
            for (String camera : cameraIds) {
                producer.send(new ProducerRecord<>(Topics.RULES.name(), camera, DemoRules.forCamera(camera))).get();
            }
        }
    }

    /** Runs the action (once per part, from its thread) when the detector or the aggregator fails for good. */
    public void onFailure(Runnable action) {
        detector.onFailure(action);
        aggregator.onFatal(action);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public List<String> cameraIds() {
        return cameraIds;
    }

    /** The aggregator's HTTP port: dashboard, WebSocket gateway (/ws) and REST. */
    public int httpPort() {
        return httpPort;
    }

    public IngestService ingest() {
        return ingest;
    }

    public DetectorService detector() {
        return detector;
    }

    public AggregatorService aggregator() {
        return aggregator;
    }

    /** Stops the parts in the reverse order of their start (one failing to stop does not keep the others running). */
    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        deleteWorkDirectory();
    }

    /** The broker's log and the aggregator's state are of no use after the run; a bench sweep would pile them up. */
    private void deleteWorkDirectory() {
        if (!Files.exists(work)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", work, e.toString());
        }
    }
}
