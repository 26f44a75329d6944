package io.strix.aggregator;

import io.strix.aggregator.gateway.GatewayLimits;
import io.strix.aggregator.rules.KnownClasses;
import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigException;
import io.strix.common.config.ConfigKey;
import io.strix.common.lifecycle.Lifecycle;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** {@code strix aggregator}: tracks, incident alerts, the REST API, the WebSocket gateway and the dashboard. */
public final class AggregatorMain implements StrixCommand {
    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string("aggregator.application.id",
            "strix-aggregator", "Kafka Streams application id: instances with the same id share the cameras, and it"
                    + " names the consumer group and the state topics.").withFlag("--application-id");
    public static final ConfigKey<Path> STATE_DIR = ConfigKey.path("aggregator.state.dir", "data/aggregator",
            "Where the trackers' and rule engines' state stores live; restored from Kafka when missing.")
            .withFlag("--state-dir");
    public static final ConfigKey<String> ADVERTISED_HOST = ConfigKey.string("aggregator.advertised.host",
            defaultHost(), "Host name other aggregator instances use to reach this one's HTTP port, to forward"
                    + " queries for the cameras it owns (Kafka Streams application.server).")
            .withFlag("--advertised-host")
            .withDefaultLabel("this host's name");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("aggregator.instance.id",
            defaultHost() + "-" + ManagementFactory.getRuntimeMXBean().getPid(),
            "Name of this aggregator instance in client ids and logs.").withFlag("--instance-id")
            .withDefaultLabel("HOST-PID");
    public static final ConfigKey<Integer> STREAM_THREADS = ConfigKey.integer("aggregator.stream.threads", 1, 1, 64,
            "Stream threads of this instance; each processes some of the cameras' partitions.")
            .withFlag("--stream-threads");
    public static final ConfigKey<Integer> SESSION_TIMEOUT_SECONDS = ConfigKey.integer(
            "aggregator.session.timeout.seconds", 10, 6, 300,
            "A silent instance loses its cameras to the others after this long.").withFlag("--session-timeout-seconds");
    public static final ConfigKey<List<String>> KNOWN_CLASSES = new ConfigKey<>("aggregator.known.classes", "list",
            s -> Arrays.stream(s.split("[\n;,]")).map(String::strip).filter(v -> !v.isEmpty()).toList(),
            List.of(KnownClasses.COCO), false, false,
            "Class names that rule filters may name: 'coco' (the 80 COCO names the shipped model and camsim use),"
                    + " 'any' (no check), or the names themselves.", "--known-classes");
    // Fitted to the shipped model's tracks, not ByteTrack's 0.5 / 0.6: its scores estimate the box's IoU, so small
    // objects score low. TrackingAccuracyIT scores the tracks of the shipped model on camsim's demo scenes for a sweep
    // of both thresholds (models/README.md, "Tracks"): with step 11's weights 0.25 / 0.35 gave MOTA 0.451 and IDF1
    // 0.582 where 0.35 / 0.45 gave 0.424 / 0.568 (8 % more object-frames tracked, 23 % more false-positive boxes,
    // ID switches 1.4 % of the matches instead of 1.0 %); with step 18's weights 0.25 / 0.35 is within 0.005 of the
    // sweep's best (0.25 / 0.25, which opens more tracks and switches more ids).
    public static final ConfigKey<Float> TRACK_HIGH_SCORE = ConfigKey.fraction("aggregator.track.high.score", 0.25f,
            "Detections at least this confident are matched first (ByteTrack's high threshold); fitted to the"
                    + " shipped model's scores, tune it to another model's.").withFlag("--track-high-score");
    public static final ConfigKey<Float> TRACK_NEW_SCORE = ConfigKey.fraction("aggregator.track.new.score", 0.35f,
            "An unmatched detection at least this confident starts a track.").withFlag("--track-new-score");
    /**
     * The first association's gate on {@code 1 - IoU x score} (ByteTrack fuses the score in): ByteTrack's 0.8 asks a
     * detection scoring 0.3 for IoU 0.67 with the predicted box, which small, fast objects at 5 fps rarely give, so
     * their tracks broke and restarted. 0.9 (IoU 0.33 at score 0.3) gave 16-27 % fewer ID switches and IDF1 +0.025 /
     * +0.031 on two variations of the demo scenes (TrackingAccuracyIT seeds 5 and 6; models/README.md, "Tracks").
     */
    public static final ConfigKey<Float> TRACK_MATCH_MAX_COST = ConfigKey.fraction("aggregator.track.match.max.cost",
            0.9f, "Largest 1 - IoU x score at which a confident detection continues a track (ByteTrack's first"
                    + " association; its own gate is 0.8): higher keeps the tracks of small, fast objects at low frame"
                    + " rates, lower hands fewer tracks to a neighbour's detection.")
            .withFlag("--track-match-max-cost");
    /**
     * The detector suppresses overlapping boxes within a class only, so one object it scores as two classes (a car
     * also called a truck) comes as two boxes, and the second would start a false track beside the first.
     * TrackingAccuracyIT sweeps this (models/README.md, "Tracks").
     */
    public static final ConfigKey<Float> TRACK_CROSS_CLASS_IOU = ConfigKey.fraction("aggregator.track.cross.class.iou",
            0.7f, "A detection overlapping a more confident one of another class by more IoU than this is the same"
                    + " object seen as two classes and is not tracked (the detector's NMS is per class); 1 tracks"
                    + " every detection.").withFlag("--track-cross-class-iou");
    public static final ConfigKey<Integer> PREVIEW_FPS = ConfigKey.integer("aggregator.preview.fps", 2, 0, 30,
            "Preview pictures per camera per second sent to WebSocket clients; 0 sends none.")
            .withFlag("--preview-fps");
    public static final ConfigKey<Integer> WS_QUEUE_MESSAGES = ConfigKey.integer("aggregator.ws.queue.messages", 512,
            1, 1_000_000, "Messages waiting for one WebSocket client; beyond this its oldest are dropped (and"
                    + " counted).").withFlag("--ws-queue-messages");
    public static final ConfigKey<Integer> WS_QUEUE_MIB = ConfigKey.integer("aggregator.ws.queue.mib", 8, 1, 4096,
            "MiB waiting for one WebSocket client; beyond this its oldest messages are dropped.")
            .withFlag("--ws-queue-mib");
    public static final ConfigKey<Integer> WS_MAX_LAG_SECONDS = ConfigKey.integer("aggregator.ws.max.lag.seconds",
            10, 1, 3600, "A WebSocket client that has not caught up with its queue for this long is disconnected.")
            .withFlag("--ws-max-lag-seconds");

    public static StrixCommand command() {
        return new AggregatorMain();
    }

    @Override
    public String name() {
        return "aggregator";
    }

    @Override
    public String summary() {
        return "Track objects, raise incident alerts and serve the live dashboard over WebSockets.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.HTTP_PORT, CommonKeys.API_TOKEN, APPLICATION_ID,
                STATE_DIR, ADVERTISED_HOST, INSTANCE_ID, STREAM_THREADS, SESSION_TIMEOUT_SECONDS, KNOWN_CLASSES,
                TRACK_HIGH_SCORE, TRACK_NEW_SCORE, TRACK_MATCH_MAX_COST, TRACK_CROSS_CLASS_IOU, PREVIEW_FPS,
                WS_QUEUE_MESSAGES, WS_QUEUE_MIB, WS_MAX_LAG_SECONDS, CommonKeys.TOPIC_PARTITIONS,
                CommonKeys.TOPIC_REPLICATION);
    }

    @Override
    public int run(Config config) throws Exception {
        try (AggregatorService service = new AggregatorService(settings(config))) {
            Lifecycle lifecycle = new Lifecycle("aggregator", service);
            service.onFatal(lifecycle::stop);
            int port = service.start();
            System.out.println("Aggregator ready, HTTP on port " + port);
            System.out.flush();
            lifecycle.awaitShutdown();
            return service.fatalError().isPresent() ? 1 : 0;
        }
    }

    public static AggregatorService.Settings settings(Config config) {
        GatewayLimits gateway = new GatewayLimits(config.get(WS_QUEUE_MESSAGES),
                config.get(WS_QUEUE_MIB) * 1024L * 1024L, Duration.ofSeconds(config.get(WS_MAX_LAG_SECONDS)),
                config.get(PREVIEW_FPS));
        return new AggregatorService.Settings(config.get(CommonKeys.BOOTSTRAP_SERVERS),
                config.get(CommonKeys.HTTP_PORT), config.find(CommonKeys.API_TOKEN), config.get(APPLICATION_ID),
                config.get(STATE_DIR), config.get(ADVERTISED_HOST), config.get(INSTANCE_ID),
                config.get(STREAM_THREADS), Duration.ofSeconds(config.get(SESSION_TIMEOUT_SECONDS)),
                config.get(CommonKeys.TOPIC_PARTITIONS), config.get(CommonKeys.TOPIC_REPLICATION),
                KnownClasses.resolve(config.get(KNOWN_CLASSES)), gateway, tracker(config), RuleEngineConfig.defaults());
    }

    static TrackerConfig tracker(Config config) {
        TrackerConfig d = TrackerConfig.defaults();
        float high = config.get(TRACK_HIGH_SCORE);
        if (high < d.lowScore()) {
            throw new ConfigException("--track-high-score " + high + " must be at least the low threshold "
                    + d.lowScore());
        }
        return d.withScores(high, config.get(TRACK_NEW_SCORE)).withFirstMatchMaxCost(config.get(TRACK_MATCH_MAX_COST))
                .withCrossClassIou(config.get(TRACK_CROSS_CLASS_IOU));
    }

    private static String defaultHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
