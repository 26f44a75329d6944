package io.strix.app.demo;

import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import io.strix.common.lifecycle.Lifecycle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code strix demo}: the whole system in one process. A real embedded Kafka broker (unless --bootstrap-servers
 * names a cluster), simulated cameras (camsim's street, crossing, parking and night scenes), ingest, a detector with
 * the shipped model and the aggregator with preset rules, so the dashboard shows tracks and alerts within a minute.
 */
public final class DemoCommand implements StrixCommand {
    public static final ConfigKey<String> DEMO_BOOTSTRAP = ConfigKey.string("demo.bootstrap.servers", null,
            "Use this Kafka cluster instead of starting the embedded broker.").withFlag("--bootstrap-servers");
    public static final ConfigKey<Integer> CAMERAS = ConfigKey.integer("demo.cameras", 4, 1, 16,
            "Simulated cameras (street, crossing, parking, night, then more seeds of them).").withFlag("--cameras");
    public static final ConfigKey<Integer> FPS = ConfigKey.integer("demo.fps", 3, 1, 30,
            "Frames per second of each simulated camera.").withFlag("--fps");
    public static final ConfigKey<Integer> DURATION = ConfigKey.integer("demo.duration.seconds", 0, 0, 86_400,
            "Stop by itself after this many seconds; 0 runs until Ctrl-C.").withFlag("--duration");
    public static final ConfigKey<Path> MODEL = ConfigKey.path("demo.model", null,
            "ONNX model for the detector, a file or a shipped model's name (as strix detector --model); the"
                    + " default shipped model when unset.").withFlag("--model");

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
        try (DemoSystem system = DemoSystem.start(new DemoSystem.Options(config.get(CAMERAS), config.get(FPS),
                config.get(CommonKeys.HTTP_PORT), config.find(MODEL), config.find(DEMO_BOOTSTRAP)))) {
            System.out.println("Dashboard at http://localhost:" + system.httpPort() + "/");
            System.out.println("Kafka at " + system.bootstrapServers() + "; cameras "
                    + String.join(", ", system.cameraIds()) + "; Ctrl-C stops.");
            System.out.flush();
            Lifecycle lifecycle = new Lifecycle("demo", system);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            if (config.get(DURATION) > 0) {
                timer.schedule(lifecycle::stop, config.get(DURATION), TimeUnit.SECONDS);
            }
            system.onFailure(lifecycle::stop);
            lifecycle.awaitShutdown();
            timer.shutdownNow();
            return 0;
        }
    }
}
