package io.strix.ingest;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigException;
import io.strix.common.config.ConfigKey;
import io.strix.common.lifecycle.Lifecycle;
import io.strix.common.redact.Redact;
import io.strix.ingest.registry.CameraSpecs;
import io.strix.ingest.registry.InvalidCameraException;
import io.strix.ingest.source.Sources;
import io.strix.ingest.worker.WorkerSettings;
import io.strix.schema.CameraConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code strix ingest}: camera streams into frames on Kafka. */
public final class IngestMain implements StrixCommand {
    public static final ConfigKey<List<String>> CAMERAS = ConfigKey.list("ingest.camera",
            "A camera to register at start: ID=URL[,fps=F][,width=W][,quality=Q][,transport=udp][,loop=false]."
    ).withFlag("--camera");
    public static final ConfigKey<Path> CAMERAS_FILE = ConfigKey.path("ingest.cameras.file", null,
            "YAML or JSON list of cameras (cameraId, url, targetFps, maxWidth, jpegQuality, rtspTransport, options)"
                    + " to register at start.").withFlag("--cameras-file");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("ingest.instance.id", null,
            "Name of this ingest instance in status records and logs; HOST-PID when unset.").withFlag("--instance-id");
    public static final ConfigKey<String> GROUP = ConfigKey.string("ingest.group", "strix-ingest",
            "Consumer group whose members split the cameras between them.").withFlag("--group");
    public static final ConfigKey<Integer> STALL_SECONDS = ConfigKey.integer("ingest.stall.seconds", 10, 1, 3600,
            "A connected camera without a picture this long is STALLED and reconnected.").withFlag("--stall-seconds");
    public static final ConfigKey<Integer> READ_TIMEOUT_SECONDS = ConfigKey.integer("ingest.read.timeout.seconds", 5,
            1, 600, "How long a connect or a read may block.").withFlag("--read-timeout-seconds");
    public static final ConfigKey<Integer> MAX_BACKOFF_SECONDS = ConfigKey.integer("ingest.backoff.max.seconds", 30,
            1, 3600, "Cap of the exponential reconnect delay.").withFlag("--max-backoff-seconds");
    public static final ConfigKey<Integer> QUEUE_SIZE = ConfigKey.integer("ingest.queue.size", 8, 1, 10_000,
            "Frames per camera waiting for Kafka; when full the oldest is dropped (and counted).")
            .withFlag("--queue-size");
    public static final ConfigKey<Integer> SESSION_TIMEOUT_SECONDS = ConfigKey.integer(
            "ingest.session.timeout.seconds", 10, 6, 300,
            "A silent instance loses its cameras to the others after this long.").withFlag("--session-timeout-seconds");

    public static StrixCommand command() {
        return new IngestMain();
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String summary() {
        return "Decode camera streams (RTSP, RTMP, HLS, MJPEG, files, V4L2, sim://) into frames on Kafka.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CommonKeys.BOOTSTRAP_SERVERS, CAMERAS, CAMERAS_FILE, CommonKeys.HTTP_PORT, CommonKeys.API_TOKEN,
                INSTANCE_ID, GROUP, STALL_SECONDS, READ_TIMEOUT_SECONDS, MAX_BACKOFF_SECONDS, QUEUE_SIZE,
                SESSION_TIMEOUT_SECONDS, CommonKeys.TOPIC_PARTITIONS, CommonKeys.TOPIC_REPLICATION);
    }

    @Override
    public int run(Config config) throws Exception {
        try (IngestService service = new IngestService(settings(config), Sources.factory())) {
            int port = service.start();
            System.out.println("Ingest ready, HTTP on port " + port);
            System.out.flush();
            new Lifecycle("ingest", service).awaitShutdown();
        }
        return 0;
    }

    public static IngestService.Settings settings(Config config) {
        List<CameraConfig> seeds = new ArrayList<>();
        List<IngestService.RejectedCamera> rejected = new ArrayList<>();
        for (String spec : config.get(CAMERAS)) {
            try {
                seeds.add(CameraSpecs.parseFlag(spec));
            } catch (InvalidCameraException e) {
                // A bad camera fails alone: it gets a FAILED status, the others start.
                rejected.add(new IngestService.RejectedCamera(spec.substring(0, spec.indexOf('=')).strip(),
                        Redact.url(spec.substring(spec.indexOf('=') + 1)), e.getMessage()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        try {
            config.find(CAMERAS_FILE).ifPresent(file -> seeds.addAll(CameraSpecs.readFile(file)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        WorkerSettings workers = new WorkerSettings(Duration.ofSeconds(config.get(READ_TIMEOUT_SECONDS)),
                Duration.ofSeconds(config.get(STALL_SECONDS)), Duration.ofMillis(500),
                Duration.ofSeconds(config.get(MAX_BACKOFF_SECONDS)), config.get(QUEUE_SIZE), 4);
        return new IngestService.Settings(config.get(CommonKeys.BOOTSTRAP_SERVERS), config.get(CommonKeys.HTTP_PORT),
                config.find(CommonKeys.API_TOKEN), config.find(INSTANCE_ID).orElseGet(IngestMain::defaultInstanceId), config.get(GROUP),
                config.get(CommonKeys.TOPIC_PARTITIONS), config.get(CommonKeys.TOPIC_REPLICATION), workers,
                Duration.ofSeconds(config.get(SESSION_TIMEOUT_SECONDS)), seeds, rejected);
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "ingest";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
