package io.strix.it;

import io.strix.aggregator.track.MotMetrics;
import io.strix.aggregator.track.TrackerConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The aggregator's tracker over detections that {@link TrackingAccuracyIT} saved ({@code STRIX_TRACKING_DUMP}: each
 * scene's {@code gt.txt} and {@code det.txt}), under the shipped settings and any variants of them, scored as the IT
 * scores (the four scenes together, CLEAR MOT and IDF1): a tracker setting is judged on saved detections in seconds
 * instead of a detector run per model and seed. Run by {@code model/replay_tracks.sh}; its figures differ from the IT's
 * by the dump's rounding (0.1 px, 4 decimals of score): up to 0.005 of MOTA or IDF1 a seed, 0.012 of MOTA + IDF1 summed
 * over the gate's eight seeds (23rd session's runs: step 17 8.958 against the IT's 8.957, a candidate 8.815 against
 * 8.803).
 */
public final class TrackReplay {
    private TrackReplay() {
    }

    /**
     * {@code base} with the settings in {@code spec} ("name=value,name=value", names of {@link TrackerConfig}'s
     * components, e.g. {@code newTrackScore=0.4,confirmHits=3}); an unknown name or a bad value is refused.
     */
    static TrackerConfig with(TrackerConfig base, String spec) {
        RecordComponent[] components = TrackerConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(base);
                types[i] = components[i].getType();
            }
            for (String setting : spec.split(",")) {
                String[] kv = setting.split("=", 2);
                int i = indexOf(components, kv[0].strip());
                if (kv.length != 2 || i < 0) {
                    throw new IllegalArgumentException("not a tracker setting: '" + setting + "' (name=value, names: "
                            + String.join(" ", java.util.Arrays.stream(components).map(RecordComponent::getName)
                            .toList()) + ")");
                }
                String v = kv[1].strip();
                values[i] = types[i] == int.class ? Integer.parseInt(v)
                        : types[i] == boolean.class ? parseBoolean(v) : Double.parseDouble(v);
            }
            return TrackerConfig.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("tracker settings '" + spec + "': " + cause.getMessage(), cause);
        }
    }

    private static int indexOf(RecordComponent[] components, String name) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean parseBoolean(String v) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("true or false, was " + v);
        }
        return Boolean.parseBoolean(v);
    }

    /** One run's four scenes as TrackingAccuracyIT dumped them. */
    static List<TrackingAccuracyIT.Scene> read(Path run) throws IOException {
        List<TrackingAccuracyIT.Scene> scenes = new ArrayList<>();
        for (String name : TrackingAccuracyIT.SCENES) {
            scenes.add(TrackingAccuracyIT.readDump(run.resolve(name), name));
        }
        return scenes;
    }

    /** The tracker over one run's four scenes (ids kept apart), scored as the IT scores at this IoU. */
    static MotMetrics.Summary replay(Path run, TrackerConfig config, double iou) throws IOException {
        return TrackingAccuracyIT.score(read(run), config, iou);
    }

    /** The model a run is of: its name before the last '-' (baseline-5: baseline), with its folder's when asked. */
    static String modelOf(Path run, boolean withFolder) {
        String name = run.getFileName().toString();
        String model = name.contains("-") ? name.substring(0, name.lastIndexOf('-')) : name;
        return withFolder ? run.toAbsolutePath().getParent().getFileName() + "/" + model : model;
    }

    /**
     * {@code [--iou X] [--set SETTINGS]... RUN...}: for each model (the runs' names before the last '-', e.g.
     * baseline-5 ... baseline-12) and each variant, MOTA + IDF1 summed over its runs and the change from the shipped
     * settings, with false positives, misses and ID switches.
     */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("replay_tracks: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file: "
                    : "") + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws IOException {
        double iou = 0.5;
        TrackerConfig shipped = TrackingAccuracyIT.shipped();
        Map<String, TrackerConfig> variants = new LinkedHashMap<>();
        variants.put("shipped", shipped);
        List<Path> runs = new ArrayList<>();
        String usage = "usage: model/replay_tracks.sh [--iou X] [--set name=value,...]... RUN_DIR...";
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value; " + usage);
            }
            switch (args[i]) {
                case "--iou" -> {
                    iou = Double.parseDouble(args[++i]);
                    if (!(iou > 0 && iou <= 1)) {
                        throw new IllegalArgumentException("--iou must be in (0, 1], was " + args[i]);
                    }
                }
                case "--set" -> variants.put(args[++i], with(shipped, args[i]));
                default -> runs.add(Path.of(args[i]));
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(usage);
        }
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>(); // model -> variant -> MOTA+IDF1, FP, FN, IDsw
        // Runs from several folders (several compare_tracks.sh outputs) are told apart by their folder too.
        boolean severalFolders = runs.stream().map(r -> r.toAbsolutePath().getParent()).distinct().count() > 1;
        for (Path run : runs) {
            String model = modelOf(run, severalFolders);
            List<TrackingAccuracyIT.Scene> scenes = read(run); // once per run, whatever the number of variants
            for (Map.Entry<String, TrackerConfig> variant : variants.entrySet()) {
                MotMetrics.Summary s = TrackingAccuracyIT.score(scenes, variant.getValue(), iou);
                double[] sum = sums.computeIfAbsent(model, k -> new LinkedHashMap<>())
                        .computeIfAbsent(variant.getKey(), k -> new double[4]);
                sum[0] += s.mota() + s.idf1();
                sum[1] += s.falsePositives();
                sum[2] += s.misses();
                sum[3] += s.idSwitches();
            }
        }
        System.out.printf(Locale.ROOT, "tracker replayed over %d runs, IoU %.2f; MOTA + IDF1 summed over each model's"
                + " runs:%n", runs.size(), iou);
        int width = variants.keySet().stream().mapToInt(String::length).max().orElse(0);
        int modelWidth = sums.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Map<String, double[]>> model : sums.entrySet()) {
            double atShipped = model.getValue().get("shipped")[0];
            for (Map.Entry<String, double[]> variant : model.getValue().entrySet()) {
                double[] s = variant.getValue();
                System.out.printf(Locale.ROOT, "  %-" + modelWidth + "s %-" + width + "s  %.3f (%+.3f)  FP %.0f  FN %.0f  IDsw %.0f%n",
                        model.getKey(), variant.getKey(), s[0], s[0] - atShipped, s[1], s[2], s[3]);
            }
        }
    }
}
