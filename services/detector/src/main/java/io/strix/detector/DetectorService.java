package io.strix.detector;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strix.common.http.AdminServer;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.KafkaReadiness;
import io.strix.common.kafka.TopicAdmin;
import io.strix.common.metrics.Metrics;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.inference.ModelInfo;
import io.strix.detector.inference.ModelSource;
import io.strix.detector.pipeline.DetectorMetrics;
import io.strix.detector.pipeline.FramePipeline;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.detector.worker.DetectorWorker;
import io.strix.wire.Topics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The detector service: the model, the consume-detect-produce worker, health and metrics over HTTP. */
public final class DetectorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorService.class);
    /**
     * A transaction lives from the first send of a batch to its commit (milliseconds). When an instance dies with
     * one open and does not come back under the same instance id, the coordinator aborts it after this long, which is
     * how long read_committed readers of strix.detections wait behind it.
     */
    static final int TRANSACTION_TIMEOUT_MS = 10_000;
    /**
     * A silent instance loses its partitions to the others after this long. The instance id is also the static group
     * membership id, so an instance restarted under the same id takes its partitions back without a rebalance.
     */
    static final int SESSION_TIMEOUT_MS = 10_000;

    /** Everything the service needs, already validated. */
    public record Settings(String bootstrapServers, int httpPort, Optional<String> apiToken, String instanceId,
                           String groupId, int topicPartitions, int topicReplication, Optional<Path> model,
                           InferenceEngine.Settings inference, Postprocessor.Settings postprocessing, int maxBatch,
                           Duration batchWait, Duration commitInterval, Duration maxFrameAge, boolean scaledDecode) {
    }

    private final Settings settings;
    private final PrometheusMeterRegistry registry = Metrics.registry("detector");
    private final DetectorMetrics metrics = new DetectorMetrics(registry);
    private InferenceEngine engine;
    private FramePipeline pipeline;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private DetectorWorker worker;
    private Thread workerThread;
    private Vertx vertx;
    private AdminServer http;
    private volatile Runnable onFailure = () -> { };

    public DetectorService(Settings settings) {
        this.settings = settings;
    }

    /** Loads the model, then connects and starts consuming; returns the HTTP port. */
    public int start() throws Exception {
        // The model first: a bad --model fails in a second, before anything touches Kafka.
        engine = InferenceEngine.open(ModelSource.resolve(settings.model()), settings.inference());
        pipeline = new FramePipeline(engine, settings.postprocessing(), new FramePipeline.Settings(
                settings.maxBatch(), settings.maxFrameAge(), settings.instanceId(), settings.scaledDecode()), metrics,
                Clock.systemUTC());

        String bootstrap = settings.bootstrapServers();
        String client = "strix-detector-" + settings.instanceId();
        admin = Admin.create(KafkaClients.admin(bootstrap, client));
        TopicAdmin.ensureTopics(admin, Topics.ALL, settings.topicPartitions(), settings.topicReplication());

        Map<String, Object> producerProps = new HashMap<>(KafkaClients.producer(bootstrap, client + "-producer"));
        // Stable across restarts of this instance: a restarted instance fences its dead self and aborts its open
        // transaction at once.
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "strix-detector-" + settings.instanceId());
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> consumerProps = KafkaClients.consumer(bootstrap, client + "-consumer", settings.groupId());
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxBatch());
        consumerProps.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
        consumerProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        consumerProps.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, SESSION_TIMEOUT_MS / 4);
        consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Metrics.bind(registry, producer);
        Metrics.bind(registry, consumer);
        Metrics.bind(registry, (AdminClient) admin);

        worker = new DetectorWorker(consumer, producer, pipeline, metrics,
                new DetectorWorker.Settings(settings.maxBatch(), settings.batchWait(), settings.commitInterval()));
        workerThread = new Thread(() -> {
            worker.run();
            if (worker.failure() != null) {
                onFailure.run();
            }
        }, "detector-worker");
        workerThread.start();

        vertx = Vertx.vertx();
        KafkaReadiness kafka = new KafkaReadiness(admin);
        http = new AdminServer(vertx, settings.httpPort(), registry, () -> {
            Map<String, String> problems = new HashMap<>(kafka.problems());
            if (worker.failure() != null) {
                problems.put("detector", "the worker stopped: " + worker.failure());
            }
            return problems;
        }, settings.apiToken());
        return http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Called (once, from the worker thread) when the worker stops on an error it cannot recover from. */
    public void onFailure(Runnable action) {
        this.onFailure = action;
    }

    /** Why the worker stopped on its own, or null. */
    public Throwable failure() {
        return worker == null ? null : worker.failure();
    }

    public ModelInfo model() {
        return engine.model();
    }

    public DetectorMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() throws Exception {
        if (worker != null) {
            worker.stop();
            workerThread.join(TimeUnit.SECONDS.toMillis(60));
        }
        if (http != null) {
            http.close();
        }
        if (consumer != null) {
            // A static member stays in the group when it closes unless told to leave: leave, so that a detector
            // scaled down hands its partitions over now rather than after the session timeout.
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        LOG.info("Detector closed");
    }
}
