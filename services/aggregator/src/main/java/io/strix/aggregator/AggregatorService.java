package io.strix.aggregator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strix.aggregator.gateway.CameraDirectory;
import io.strix.aggregator.gateway.GatewayFeed;
import io.strix.aggregator.gateway.GatewayLimits;
import io.strix.aggregator.gateway.WebSocketHub;
import io.strix.aggregator.http.RulesApi;
import io.strix.aggregator.http.StateQueryApi;
import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.aggregator.stream.AggregatorTopology;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.common.http.AdminServer;
import io.strix.common.http.Readiness;
import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.KafkaReadiness;
import io.strix.common.kafka.TopicAdmin;
import io.strix.common.metrics.Metrics;
import io.strix.schema.Alert;
import io.strix.wire.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator service: the Kafka Streams topology (tracks and alerts), the WebSocket gateway and its feed, the
 * REST API (rules, tracks, incidents), the dashboard, health and metrics, all on one HTTP port.
 */
public final class AggregatorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AggregatorService.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Everything the service needs, already validated.
     *
     * @param advertisedHost  the host name other instances reach this one's HTTP port at (forwarded queries)
     * @param knownClasses    class names rule filters may use; empty accepts any
     */
    public record Settings(String bootstrapServers, int httpPort, Optional<String> apiToken, String applicationId,
                           Path stateDir, String advertisedHost, String instanceId, int streamThreads,
                           Duration sessionTimeout, int topicPartitions, int topicReplication,
                           List<String> knownClasses, GatewayLimits gateway, TrackerConfig tracker,
                           RuleEngineConfig rules) {
    }

    private final Settings settings;
    private final Clock clock;
    private final PrometheusMeterRegistry registry = Metrics.registry("aggregator");
    private final RuleSetValidator validator;
    private final CameraDirectory directory = new CameraDirectory();
    private Vertx vertx;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;
    private AdminServer http;
    private WebSocketHub hub;
    private GatewayFeed feed;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private KafkaStreamsMetrics streamsMetrics;
    private volatile Runnable onFatal = () -> { };
    private volatile Throwable fatal;
    private volatile String fatalPart;

    public AggregatorService(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    AggregatorService(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.validator = settings.knownClasses().isEmpty() ? RuleSetValidator.acceptingAnyClass()
                : new RuleSetValidator(settings.knownClasses());
    }

    /** Starts everything; returns the HTTP port. */
    public int start() throws Exception {
        String bootstrap = settings.bootstrapServers();
        String client = settings.applicationId() + "-" + settings.instanceId();
        admin = Admin.create(KafkaClients.admin(bootstrap, client));
        Metrics.bind(registry, (AdminClient) admin);
        TopicAdmin.ensureTopics(admin, Topics.ALL, settings.topicPartitions(), settings.topicReplication());
        checkCopartitioned();

        producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, client + "-rules"), new ByteArraySerializer(),
                new ByteArraySerializer());
        Metrics.bind(registry, producer);

        vertx = Vertx.vertx();
        hub = new WebSocketHub(vertx, directory, settings.gateway(), registry);
        http = new AdminServer(vertx, settings.httpPort(), registry, this::problems, settings.apiToken());
        new RulesApi(directory, producer, validator, clock).mount(http.router());
        new StateQueryApi(vertx, () -> streams, () -> self, settings.rules()).mount(http.router());
        hub.mount(http.router());
        // Last, so that it answers only what nothing else claimed.
        http.router().route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(StaticHandler.create("dashboard").setMaxAgeSeconds(60));
        int port = http.start().toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        self = new HostInfo(settings.advertisedHost(), port);

        KafkaConsumer<byte[], byte[]> feedConsumer = new KafkaConsumer<>(feedConsumerConfig(bootstrap, client),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Metrics.bind(registry, feedConsumer);
        feed = new GatewayFeed(feedConsumer, directory, hub, validator, settings.gateway().previewFps(),
                e -> failed("gateway", e));
        feed.start();

        KafkaStreams kafkaStreams = new KafkaStreams(AggregatorTopology.build(topologySettings()),
                streamsConfig(settings, self));
        kafkaStreams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream processing failed; stopping the aggregator", e);
            failed("streams", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        kafkaStreams.setStateListener((now, before) -> LOG.info("Kafka Streams: {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(kafkaStreams);
        streamsMetrics.bindTo(registry);
        streams = kafkaStreams;
        kafkaStreams.start();
        LOG.info("Aggregator {} started: application {}, state in {}, HTTP on {}:{}", settings.instanceId(),
                settings.applicationId(), settings.stateDir(), self.host(), port);
        return port;
    }

    /** Kafka Streams settings: exactly-once, the state directory, and where this instance answers queries. */
    static Properties streamsConfig(Settings settings, HostInfo self) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-" + settings.instanceId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.topicReplication());
        // Tracks reach the dashboard when their transaction commits: commit often.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // Dead letters carry the original record (up to a frame's size): the default 1 MiB request would refuse a
        // large one, and a record the producer refuses stops the stream thread.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_RECORD_BYTES);
        int sessionMillis = (int) settings.sessionTimeout().toMillis();
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), sessionMillis);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), sessionMillis / 4);
        return props;
    }

    private static Map<String, Object> feedConsumerConfig(String bootstrap, String client) {
        // No group: every instance reads every partition (every instance serves every camera).
        Map<String, Object> props = KafkaClients.consumer(bootstrap, client + "-gateway", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    private AggregatorTopology.Settings topologySettings() {
        MeterRegistry meters = registry;
        Timer captureToTrack = Timer.builder("strix.aggregator.capture.to.track")
                .description("From a frame's capture to its snapshot leaving the tracker")
                .publishPercentiles(0.5, 0.99).register(meters);
        Counter snapshots = Counter.builder("strix.aggregator.snapshots").description("Track snapshots emitted")
                .register(meters);
        return new AggregatorTopology.Settings(settings.tracker(), settings.rules(), validator,
                new AggregatorTopology.Listener() {
                    @Override
                    public void snapshot(String cameraId, long captureMillis, int tracks) {
                        snapshots.increment();
                        captureToTrack.record(Math.max(0, clock.millis() - captureMillis), TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void alert(Alert alert) {
                        Counter.builder("strix.aggregator.alerts").description("Alerts emitted")
                                .tag("phase", alert.getPhase().name()).register(meters).increment();
                    }

                    @Override
                    public void deadLetter(String topic, String reason) {
                        LOG.warn("Record of {} sent to {}: {}", topic, Topics.DLQ.name(), reason);
                        Counter.builder("strix.aggregator.dead.letters").description("Records sent to strix.dlq")
                                .tag("topic", topic).register(meters).increment();
                    }
                });
    }

    /** The tracker and the rules meet in one task per partition: their topics must be partitioned alike. */
    private void checkCopartitioned() throws Exception {
        Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.DETECTIONS.name(),
                Topics.RULES.name())).allTopicNames().get(30, TimeUnit.SECONDS);
        int detections = topics.get(Topics.DETECTIONS.name()).partitions().size();
        int rules = topics.get(Topics.RULES.name()).partitions().size();
        if (detections != rules) {
            throw new IllegalStateException(Topics.RULES.name() + " has " + rules + " partitions but "
                    + Topics.DETECTIONS.name() + " has " + detections + "; the aggregator needs them equal, since it"
                    + " joins a camera's rules and detections by camera id. Add partitions to the smaller one.");
        }
    }

    private Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>(new KafkaReadiness(admin).problems());
        KafkaStreams kafkaStreams = streams;
        if (fatal != null) {
            problems.put(fatalPart, "failed: " + fatal);
        } else if (kafkaStreams == null) {
            problems.put("streams", "not started");
        } else if (!kafkaStreams.state().isRunningOrRebalancing()) {
            problems.put("streams", "state " + kafkaStreams.state());
        }
        if (feed != null && feed.failure() != null) {
            problems.put("gateway", "feed stopped: " + feed.failure());
        } else if (feed == null || !feed.caughtUp()) {
            problems.put("gateway", "still reading cameras, camera status and rules");
        }
        return problems;
    }

    /** The service is of no use any more: remember why, and let the owner stop it (its exit status says failed). */
    private void failed(String part, Throwable e) {
        if (fatal == null) {
            fatalPart = part;
            fatal = e;
        }
        onFatal.run();
    }

    /** Called if stream processing or the gateway feed fails for good (the service is of no use then). */
    public void onFatal(Runnable action) {
        this.onFatal = action;
    }

    public Optional<Throwable> fatalError() {
        return Optional.ofNullable(fatal);
    }

    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public GatewayFeed feed() {
        return feed;
    }

    public WebSocketHub hub() {
        return hub;
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (http != null) {
            http.close();
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
