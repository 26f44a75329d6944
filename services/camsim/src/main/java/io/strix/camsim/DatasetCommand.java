package io.strix.camsim;

import io.strix.camsim.dataset.DatasetWriter;
import io.strix.camsim.render.FrameSize;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code strix camsim dataset}: YOLO and COCO detection datasets of still frames from many scenes. */
public final class DatasetCommand implements StrixCommand {
    /** The dataset's default scenario: every layout, hour and weather. */
    public static final ConfigKey<String> SCENARIO = ConfigKey.string("camsim.dataset.scenario", "mixed",
            "Scenario the dataset's scenes are drawn from (mixed: every layout, hour and weather).")
            .withFlag("--scenario");

    @Override
    public String name() {
        return "dataset";
    }

    @Override
    public String summary() {
        return "Write a detection dataset: images/{train,val}, YOLO labels, COCO annotations, data.yaml.";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(CamsimKeys.OUT, CamsimKeys.IMAGES, CamsimKeys.SEED, CamsimKeys.SIZE, CamsimKeys.VAL_FRACTION,
                SCENARIO, CamsimKeys.THREADS);
    }

    private static int threads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public int run(Config config) throws Exception {
        Path out = config.get(CamsimKeys.OUT);
        int images = config.get(CamsimKeys.IMAGES);
        FrameSize size = config.get(CamsimKeys.SIZE);
        int perScene = Math.max(1, Math.min(12, images / 20));
        var scenario = RenderCommand.scenario(Config.of(List.of(CamsimKeys.SCENARIO),
                java.util.Map.of(CamsimKeys.SCENARIO.name(), config.get(SCENARIO))));
        DatasetWriter.Options options = new DatasetWriter.Options(out, images, config.get(CamsimKeys.SEED), size,
                config.get(CamsimKeys.VAL_FRACTION), scenario, threads(config.get(CamsimKeys.THREADS)), perScene);
        int step = Math.max(1, images / 20);
        long start = System.nanoTime();
        DatasetWriter.Summary s = DatasetWriter.write(options, done -> {
            if (done % step == 0 || done == images) {
                double secs = (System.nanoTime() - start) / 1e9;
                System.err.printf(Locale.ROOT, "camsim dataset: %d/%d images, %.1f images/s%n", done, images,
                        done / Math.max(1e-9, secs));
            }
        });
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < DatasetWriter.CLASSES.size(); i++) {
            labels.append(i == 0 ? "" : ", ").append(DatasetWriter.CLASSES.get(i).label()).append(' ')
                    .append(s.labels()[i]);
        }
        System.out.printf(Locale.ROOT, "Wrote %s: %d train images (%d scenes), %d val images (%d scenes), %s;"
                        + " labels: %s; %d objects too small or hidden to label (COCO iscrowd); %.1f s,"
                        + " %.1f images/s%n", out.resolve("data.yaml"), s.trainImages(), s.trainScenes(),
                s.valImages(), s.valScenes(), size, labels, s.ignored(), s.seconds(), s.imagesPerSecond());
        return 0;
    }
}
