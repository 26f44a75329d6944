package io.strix.app.bench;

import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code strix bench}: the end-to-end benchmark. Runs the demo's whole system (embedded broker, camsim cameras, ingest,
 * the detector with the shipped model, the aggregator) for N cameras at F fps, and measures through a real WebSocket
 * client what a dashboard sees: capture → WebSocket latency, sustained fps per stage, frames skipped, CPU per camera.
 * With --sweep it measures several camera counts in turn, to find the most this machine sustains.
 */
public final class BenchCommand implements StrixCommand {
    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);
    private static final int MAX_CAMERAS = 64;

    public static final ConfigKey<Integer> CAMERAS = ConfigKey.integer("bench.cameras", 4, 1, MAX_CAMERAS,
            "Simulated cameras to measure (as in the demo: street, crossing, parking, night, then more seeds).")
            .withFlag("--cameras");
    public static final ConfigKey<Integer> FPS = ConfigKey.integer("bench.fps", 3, 1, 30,
            "Frames per second of each simulated camera.").withFlag("--fps");
    public static final ConfigKey<Integer> SECONDS = ConfigKey.integer("bench.seconds", 30, 1, 86_400,
            "Length of the measured window in seconds.").withFlag("--seconds");
    public static final ConfigKey<Integer> WARMUP = ConfigKey.integer("bench.warmup.seconds", 10, 0, 3600,
            "Seconds left out of the measurement once the first tracks reach the WebSocket (JIT, caches, "
                    + "the detector's first batches).").withFlag("--warmup");
    public static final ConfigKey<List<Integer>> SWEEP = new ConfigKey<List<Integer>>("bench.sweep",
            "int,int,... 1.." + MAX_CAMERAS, BenchCommand::cameraCounts, List.of(), false, false,
            "Measure each of these camera counts in turn (e.g. 1,2,4,8), a fresh system each; overrides --cameras.")
            .withFlag("--sweep");
    public static final ConfigKey<Path> JSON = ConfigKey.path("bench.json", null,
            "Also write the results as JSON to this file.").withFlag("--json");
    public static final ConfigKey<Path> MODEL = ConfigKey.path("bench.model", null,
            "ONNX model for the detector, a file or a shipped model's name (as strix detector --model); the"
                    + " default shipped model when unset.").withFlag("--model");

    /** The runs to make, and how long each warms up and measures. */
    record Plan(List<Integer> cameraCounts, int fps, Duration warmup, Duration window, Optional<Path> model) {
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Measure the whole pipeline end to end: capture-to-WebSocket latency, fps, % skipped, CPU per camera.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CAMERAS, FPS, SECONDS, WARMUP, SWEEP, JSON, MODEL);
    }

    @Override
    public int run(Config config) throws Exception {
        List<Integer> sweep = config.get(SWEEP);
        Plan plan = new Plan(sweep.isEmpty() ? List.of(config.get(CAMERAS)) : sweep, config.get(FPS),
                Duration.ofSeconds(config.get(WARMUP)), Duration.ofSeconds(config.get(SECONDS)), config.find(MODEL));
        Machine machine = Machine.here();
        List<RunReport> runs = new ArrayList<>();
        for (int cameras : plan.cameraCounts()) {
            runs.add(EndToEndRun.measure(new EndToEndRun.Settings(cameras, plan.fps(), plan.warmup(), plan.window(),
                    plan.model())));
        }
        System.out.print(BenchTables.markdown(machine, plan, runs));
        System.out.flush();
        Optional<Path> json = config.find(JSON);
        if (json.isPresent()) {
            Path parent = json.get().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json.get(), BenchTables.json(machine, plan, runs).encodePrettily() + "\n");
            LOG.info("Results written to {}", json.get());
        }
        return 0;
    }

    /** "1,2,4,8" → [1, 2, 4, 8]; each a camera count the bench can run. */
    static List<Integer> cameraCounts(String text) {
        List<Integer> counts = new ArrayList<>();
        for (String part : text.split(",")) {
            String value = part.strip();
            if (value.isEmpty()) {
                continue;
            }
            int count;
            try {
                count = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + value + "' is not a camera count; give e.g. 1,2,4,8");
            }
            if (count < 1 || count > MAX_CAMERAS) {
                throw new IllegalArgumentException(count + " cameras is outside 1.." + MAX_CAMERAS);
            }
            counts.add(count);
        }
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no camera count; give e.g. 1,2,4,8");
        }
        return List.copyOf(counts);
    }
}
