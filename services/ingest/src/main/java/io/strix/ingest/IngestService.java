package io.strix.ingest;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strix.common.http.AdminServer;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.KafkaReadiness;
import io.strix.common.kafka.TopicAdmin;
import io.strix.common.metrics.Metrics;
import io.strix.ingest.http.CamerasApi;
import io.strix.ingest.publish.KafkaFrameSink;
import io.strix.ingest.publish.SequenceRecovery;
import io.strix.ingest.registry.CameraAssignment;
import io.strix.ingest.registry.CameraDirectory;
import io.strix.ingest.source.SourceFactory;
import io.strix.ingest.worker.CameraWorker;
import io.strix.ingest.worker.WorkerSettings;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.wire.Topics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest service: registry, camera ownership, one worker per owned camera, the REST API and health. */
public final class IngestService implements AutoCloseable, CameraAssignment.Workers {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    /** Everything the service needs to know, already validated. */
    public record Settings(String bootstrapServers, int httpPort, Optional<String> apiToken, String instanceId,
                           String groupId, int topicPartitions, int topicReplication, WorkerSettings workers,
                           Duration sessionTimeout, List<CameraConfig> seedCameras,
                           List<RejectedCamera> rejectedCameras) {
    }

    /** A camera given at start that could not be registered, and why. */
    public record RejectedCamera(String cameraId, String redactedUrl, String error) {
    }

    private final Settings settings;
    private final SourceFactory sources;
    private final PrometheusMeterRegistry registry = Metrics.registry("ingest");
    private final Map<String, CameraWorker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-watchdog");
        t.setDaemon(true);
        return t;
    });
    private Vertx vertx;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaFrameSink sink;
    private SequenceRecovery recovery;
    private KafkaConsumer<byte[], byte[]> recoveryConsumer;
    private CameraDirectory directory;
    private CameraAssignment assignment;
    private AdminServer http;

    public IngestService(Settings settings, SourceFactory sources) {
        this.settings = settings;
        this.sources = sources;
    }

    /** Starts everything; returns the HTTP port it listens on. */
    public int start() throws Exception {
        String bootstrap = settings.bootstrapServers();
        String client = "strix-ingest-" + settings.instanceId();
        admin = Admin.create(KafkaClients.admin(bootstrap, client));
        TopicAdmin.ensureTopics(admin, Topics.ALL, settings.topicPartitions(), settings.topicReplication());
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, client), new ByteArraySerializer(),
                new ByteArraySerializer());
        Metrics.bind(registry, producer);
        Metrics.bind(registry, (AdminClient) admin);
        sink = new KafkaFrameSink(producer);

        recoveryConsumer = new KafkaConsumer<>(standalone(bootstrap, client + "-recovery"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        recovery = new SequenceRecovery(recoveryConsumer);
        directory = new CameraDirectory(new KafkaConsumer<>(standalone(bootstrap, client + "-directory"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        directory.start();
        directory.awaitCaughtUp(Duration.ofSeconds(30));

        for (CameraConfig camera : settings.seedCameras()) {
            producer.send(new ProducerRecord<>(Topics.CAMERAS.name(), KafkaFrameSink.key(camera.getCameraId()),
                    Topics.CAMERAS.valueSerde().serializer().serialize(Topics.CAMERAS.name(), camera))).get();
            directory.written(camera.getCameraId(), camera);
            LOG.info("Registered camera {} from the command line or cameras file", camera.getCameraId());
        }

        for (RejectedCamera bad : settings.rejectedCameras()) {
            fail(CameraStatus.newBuilder().setCameraId(bad.cameraId()).setState(CameraState.FAILED)
                    .setUrl(bad.redactedUrl()).setError(bad.error()).setInstanceId(settings.instanceId())
                    .setSince(Instant.now()).setUpdatedAt(Instant.now()).build());
        }

        Map<String, Object> groupProps = KafkaClients.consumer(bootstrap, client + "-assignment", settings.groupId());
        groupProps.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        groupProps.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) settings.sessionTimeout().toMillis() / 4);
        assignment = new CameraAssignment(new KafkaConsumer<>(groupProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), producer, this, settings.instanceId(), registry);
        assignment.start();
        watchdog.scheduleAtFixedRate(() -> workers.values().forEach(CameraWorker::watchdog), 1, 1, TimeUnit.SECONDS);

        vertx = Vertx.vertx();
        http = new AdminServer(vertx, settings.httpPort(), registry, new KafkaReadiness(admin), settings.apiToken());
        new CamerasApi(directory, producer, workers::get).mount(http.router());
        return http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Map<String, Object> standalone(String bootstrap, String clientId) {
        Map<String, Object> props = KafkaClients.consumer(bootstrap, clientId, "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    @Override
    public void start(CameraConfig camera) {
        stop(camera.getCameraId());
        long lastSeq = Math.max(recovery.lastSeq(camera.getCameraId()), directory.status(camera.getCameraId())
                .map(CameraStatus::getLastFrameSeq).map(s -> s == null ? -1L : s).orElse(-1L));
        CameraWorker worker = new CameraWorker(camera, settings.instanceId(), lastSeq + 1, sources, sink,
                settings.workers(), registry);
        workers.put(camera.getCameraId(), worker);
        worker.start();
        LOG.info("Ingesting camera {} from frame {}", camera.getCameraId(), lastSeq + 1);
    }

    @Override
    public void stop(String cameraId) {
        CameraWorker worker = workers.remove(cameraId);
        if (worker != null) {
            worker.close();
            producer.flush();
            LOG.info("Stopped camera {}", cameraId);
        }
    }

    @Override
    public void fail(CameraStatus status) {
        LOG.error("Camera {} cannot run: {}", status.getCameraId(), status.getError());
        sink.status(status);
    }

    public Map<String, CameraWorker> workers() {
        return workers;
    }

    /** The service's meters (strix_ingest_* per camera, JVM, Kafka clients), as /metrics serves them. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The port of the HTTP server, once started. */
    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        if (http != null) {
            http.close();
        }
        if (assignment != null) {
            assignment.close(); // stops this instance's cameras
        }
        if (directory != null) {
            directory.close();
        }
        if (recoveryConsumer != null) {
            recoveryConsumer.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }
}
