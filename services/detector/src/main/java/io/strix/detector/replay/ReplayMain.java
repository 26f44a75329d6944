package io.strix.detector.replay;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigException;
import io.strix.common.config.ConfigKey;
import io.strix.detector.DetectorMain;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.inference.ModelException;
import io.strix.detector.inference.ModelSource;
import io.strix.detector.postprocess.Postprocessor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code strix replay}: shadow-tests a model on real traffic. Re-runs a time range of strix.frames through it with the
 * detector's own pipeline and settings, writes its detections to a topic of their own and prints how they compare
 * with production's (strix.detections). Exit code 0 when done, 2 for bad arguments, 1 when the replay fails.
 */
public final class ReplayMain implements StrixCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayMain.class);

    public static final ConfigKey<ReplayTime> FROM = ReplayTime.key("replay.from", null, true,
            "Replay frames from this time on (their record timestamp, the ingest's publish time): "
                    + ReplayTime.FORMS + ".").withFlag("--from");
    public static final ConfigKey<ReplayTime> TO = ReplayTime.key("replay.to", ReplayTime.NOW, false,
            "Replay frames up to this time, in the same forms as --from; frames published later than the start of "
                    + "the replay are never included, so a live topic's replay ends.").withFlag("--to");
    public static final ConfigKey<Path> MODEL = new ConfigKey<>("replay.model", "path", Path::of, null, true, false,
            "The candidate ONNX model to replay: a file or a shipped model's name, as for strix detector.")
            .withFlag("--model");
    public static final ConfigKey<String> OUTPUT_TOPIC = new ConfigKey<>("replay.output.topic", "string", s -> s, null,
            true, false, "Topic for the candidate's detections (same schema and keys as strix.detections), created "
                    + "when missing with the partitions of strix.detections; never a strix production topic.")
            .withFlag("--output-topic");
    public static final ConfigKey<Path> JSON = ConfigKey.path("replay.json", null,
            "Also write the comparison's figures to this JSON file.").withFlag("--json");
    public static final ConfigKey<Float> MATCH_IOU = ConfigKey.fraction("replay.match.iou", 0.5f,
            "A candidate box matches a production box of the same class from this IoU on.").withFlag("--match-iou");
    public static final ConfigKey<Integer> PRODUCTION_SLACK_SECONDS = ConfigKey.integer(
            "replay.production.slack.seconds", 300, 0, 86_400, "Production's records of the replayed frames are "
                    + "looked for in strix.detections from this long before the frames to this long after them (they "
                    + "are written after their frames).").withFlag("--production-slack-seconds");
    public static final ConfigKey<Integer> COMPARE_EVERY = ConfigKey.integer("replay.compare.every", 10_000, 1,
            1_000_000, "Compare with production every this many replayed frames (rounded up to whole batches): only "
                    + "so many frames and their production records are held in memory at a time, however long the "
                    + "range.")
            .withFlag("--compare-every");

    private final PrintStream out;

    private ReplayMain(PrintStream out) {
        this.out = out;
    }

    public static StrixCommand command() {
        return new ReplayMain(System.out);
    }

    /** The command printing its table to {@code out} (tests). */
    public static StrixCommand command(PrintStream out) {
        return new ReplayMain(out);
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "Re-run a time range of strix.frames through another model into a topic of its own and compare with "
                + "production (strix.detections).";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CommonKeys.BOOTSTRAP_SERVERS, FROM, TO, MODEL, OUTPUT_TOPIC, JSON, MATCH_IOU,
                PRODUCTION_SLACK_SECONDS, COMPARE_EVERY, DetectorMain.CONFIDENCE, DetectorMain.IOU, DetectorMain.MAX_DETECTIONS,
                DetectorMain.THREADS, DetectorMain.BATCH, DetectorMain.JPEG_DECODE, DetectorMain.EXECUTION_PROVIDER,
                DetectorMain.CUDA_DEVICE, CommonKeys.TOPIC_PARTITIONS, CommonKeys.TOPIC_REPLICATION);
    }

    @Override
    public int run(Config config) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // record timestamps are milliseconds
        Instant from = config.get(FROM).resolve(now);
        Instant to = config.get(TO).resolve(now);
        if (from.isAfter(to)) {
            throw new ConfigException("--from " + config.get(FROM) + " (" + from + ") is after --to " + config.get(TO)
                    + " (" + to + ")");
        }
        String outputTopic = ShadowTopic.of(config.get(OUTPUT_TOPIC)).name();
        Path json = config.find(JSON).orElse(null);
        if (json != null && json.toAbsolutePath().getParent() != null
                && !Files.isDirectory(json.toAbsolutePath().getParent())) {
            throw new ConfigException("--json " + json + ": directory " + json.toAbsolutePath().getParent()
                    + " does not exist");
        }
        Postprocessor.Settings postprocessing = new Postprocessor.Settings(config.get(DetectorMain.CONFIDENCE),
                config.get(DetectorMain.IOU), config.get(DetectorMain.MAX_DETECTIONS));
        InferenceEngine engine;
        try {
            // The model before Kafka: a bad --model fails in a second.
            engine = InferenceEngine.open(ModelSource.resolve(Optional.of(config.get(MODEL))), new InferenceEngine.Settings(
                    config.get(DetectorMain.THREADS), config.get(DetectorMain.EXECUTION_PROVIDER),
                    config.get(DetectorMain.CUDA_DEVICE)));
        } catch (ModelException e) {
            throw new ConfigException(e.getMessage());
        }
        Replay.Settings settings = new Replay.Settings(config.get(CommonKeys.BOOTSTRAP_SERVERS), from, to,
                outputTopic, config.get(CommonKeys.TOPIC_PARTITIONS), config.get(CommonKeys.TOPIC_REPLICATION),
                Duration.ofSeconds(config.get(PRODUCTION_SLACK_SECONDS)), config.get(MATCH_IOU),
                config.get(DetectorMain.BATCH), config.get(DetectorMain.JPEG_DECODE) == DetectorMain.JpegDecode.SCALED,
                postprocessing, "replay-" + now.truncatedTo(ChronoUnit.SECONDS), config.get(COMPARE_EVERY));
        ReplayReport report;
        try (engine) {
            report = new Replay(settings, engine).run();
        } catch (ReplayException | KafkaException | ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.error("The replay failed (Kafka at {}): {}", settings.bootstrapServers(), cause.getMessage());
            return 1;
        }
        out.print(report.table());
        out.flush();
        if (json != null) {
            Files.writeString(json, report.json().encodePrettily() + "\n");
            LOG.info("Wrote the figures to {}", json);
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
