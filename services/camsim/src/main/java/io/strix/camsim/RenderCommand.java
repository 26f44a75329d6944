package io.strix.camsim;

import io.strix.camsim.live.SimCamera;
import io.strix.camsim.live.SimFrame;
import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenario;
import io.strix.camsim.scenario.Scenarios;
import io.strix.camsim.truth.MotFormat;
import io.strix.camsim.video.Mp4Writer;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigException;
import io.strix.common.config.ConfigKey;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code strix camsim render}: an H.264 MP4 of a scene, and optionally its MOTChallenge ground truth. */
public final class RenderCommand implements StrixCommand {
    @Override
    public String name() {
        return "render";
    }

    @Override
    public String summary() {
        return "Render a scene to an H.264 MP4, with MOTChallenge ground truth (--gt).";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CamsimKeys.SCENARIO, CamsimKeys.SEED, CamsimKeys.SIZE, CamsimKeys.FPS, CamsimKeys.SECONDS,
                CamsimKeys.OUT, CamsimKeys.GT);
    }

    @Override
    public int run(Config config) throws Exception {
        Scenario scenario = scenario(config);
        FrameSize size = config.get(CamsimKeys.SIZE);
        if (size.width() % 2 != 0 || size.height() % 2 != 0) {
            throw new ConfigException("Bad value for --size: H.264 needs an even width and height, got " + size);
        }
        double fps = config.get(CamsimKeys.FPS);
        long frames = Math.max(1, Math.round(fps * config.get(CamsimKeys.SECONDS)));
        Path out = config.get(CamsimKeys.OUT);
        Path gt = config.get(CamsimKeys.GT);
        createParent(out);
        if (gt != null) {
            createParent(gt);
        }
        long start = System.nanoTime();
        SimCamera camera = new SimCamera(scenario, config.get(CamsimKeys.SEED), size, fps);
        System.err.println("camsim: " + camera);
        long objects = 0;
        byte[] bgr = new byte[size.width() * size.height() * 3];
        try (Mp4Writer video = new Mp4Writer(out, size.width(), size.height(), fps);
             BufferedWriter truth = gt == null ? null : Files.newBufferedWriter(gt)) {
            for (long i = 0; i < frames; i++) {
                SimFrame frame = camera.next();
                video.write(frame.rendered().bgr(bgr));
                objects += frame.truth().objects().size();
                if (truth != null) {
                    truth.write(MotFormat.lines(frame.truth()));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "Wrote %s: %d frames %s at %s fps (H.264), %d object boxes%s,"
                        + " %.1f s (%.1f ms a frame)%n", out, frames, size, fmt(fps), objects,
                gt == null ? "" : ", ground truth " + gt, seconds, seconds * 1000 / frames);
        return 0;
    }

    static Scenario scenario(Config config) {
        try {
            return Scenarios.resolve(config.get(CamsimKeys.SCENARIO));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Bad value for --scenario: " + e.getMessage());
        }
    }

    static void createParent(Path file) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
