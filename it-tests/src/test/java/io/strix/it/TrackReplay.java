package io.strix.it;

import io.strix.aggregator.AggregatorMain;
import io.strix.aggregator.track.ByteTracker;
import io.strix.aggregator.track.MotMetrics;
import io.strix.aggregator.track.MotMetrics.LabelledBox;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.common.config.Config;
import io.strix.schema.Box;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.Track;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private static final List<String> SCENES = TrackingAccuracyIT.SCENES;
    private static final int WIDTH = TrackingAccuracyIT.SIZE.width();
    private static final int HEIGHT = TrackingAccuracyIT.SIZE.height();
    private static final int FRAMES = TrackingAccuracyIT.FRAMES;
    private static final long FRAME_MILLIS = Math.round(1000 / TrackingAccuracyIT.FPS);

    private TrackReplay() {
    }

    /** The aggregator's default tracker settings, as the IT and the service use them. */
    static TrackerConfig shipped() {
        return AggregatorMain.settings(Config.of(AggregatorMain.command().keys(), Map.of())).tracker();
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

    /** The tracker over one run's four scenes (ids kept apart), scored at this IoU. */
    static MotMetrics.Summary replay(Path run, TrackerConfig config, double iou) throws IOException {
        MotMetrics metrics = new MotMetrics(iou);
        for (String scene : SCENES) {
            long idBase = 1_000_000_000L * SCENES.indexOf(scene);
            Path dir = run.resolve(scene);
            Map<Integer, List<LabelledBox>> counted = new HashMap<>();
            Map<Integer, List<LabelledBox>> dontCare = new HashMap<>();
            Map<Integer, List<Detection>> detections = new HashMap<>();
            // The dump names classes; any one id per name does (the tracker only tells classes apart by id).
            Map<String, Integer> classIds = new HashMap<>();
            for (String[] f : lines(dir.resolve("gt.txt"), 7)) {
                LabelledBox box = new LabelledBox(idBase + Long.parseLong(f[1]), Double.parseDouble(f[2]) / WIDTH,
                        Double.parseDouble(f[3]) / HEIGHT, Double.parseDouble(f[4]) / WIDTH,
                        Double.parseDouble(f[5]) / HEIGHT);
                (f[6].equals("1") ? counted : dontCare).computeIfAbsent(frame(f), k -> new ArrayList<>()).add(box);
            }
            for (String[] f : lines(dir.resolve("det.txt"), 8)) {
                detections.computeIfAbsent(frame(f), k -> new ArrayList<>()).add(Detection.newBuilder()
                        .setClassId(classIds.computeIfAbsent(f[7], k -> classIds.size())).setClassName(f[7]).setConfidence(Float.parseFloat(f[6]))
                        .setBox(Box.newBuilder().setX((float) (Double.parseDouble(f[2]) / WIDTH))
                                .setY((float) (Double.parseDouble(f[3]) / HEIGHT))
                                .setW((float) (Double.parseDouble(f[4]) / WIDTH))
                                .setH((float) (Double.parseDouble(f[5]) / HEIGHT)).build())
                        .build());
            }
            ByteTracker tracker = new ByteTracker(scene, config);
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int n = 1; n <= FRAMES; n++) {
                Instant at = start.plusMillis((n - 1) * FRAME_MILLIS);
                FrameDetections frame = FrameDetections.newBuilder()
                        .setFrame(FrameRef.newBuilder().setCameraId(scene).setFrameSeq(n - 1).setCaptureTime(at).build())
                        .setWidth(WIDTH).setHeight(HEIGHT)
                        .setModel(ModelRef.newBuilder().setName("replay").setVersion(run.toString()).build())
                        .setDetections(detections.getOrDefault(n, List.of())).setDetectedAt(at).build();
                List<LabelledBox> hypotheses = new ArrayList<>();
                for (Track t : tracker.update(frame).orElseThrow().getTracks()) {
                    hypotheses.add(new LabelledBox(idBase + t.getTrackId(), t.getBox().getX(), t.getBox().getY(),
                            t.getBox().getW(), t.getBox().getH()));
                }
                metrics.addFrame(counted.getOrDefault(n, List.of()), dontCare.getOrDefault(n, List.of()), hypotheses);
            }
        }
        return metrics.summary();
    }

    private static int frame(String[] fields) {
        int n = Integer.parseInt(fields[0]);
        if (n < 1 || n > FRAMES) {
            throw new IllegalArgumentException("frame " + n + " outside 1.." + FRAMES);
        }
        return n;
    }

    /** A MOTChallenge file's lines split at commas; a line with fewer fields is refused with its place. */
    private static List<String[]> lines(Path file, int fields) throws IOException {
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            if (f.length < fields) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + fields + " fields expected, found "
                        + f.length);
            }
            out.add(f);
        }
        return out;
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
        Map<String, TrackerConfig> variants = new LinkedHashMap<>();
        variants.put("shipped", shipped());
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
                case "--set" -> variants.put(args[++i], with(shipped(), args[i]));
                default -> runs.add(Path.of(args[i]));
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(usage);
        }
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>(); // model -> variant -> MOTA+IDF1, FP, FN, IDsw
        for (Path run : runs) {
            String name = run.getFileName().toString();
            String model = name.contains("-") ? name.substring(0, name.lastIndexOf('-')) : name;
            for (Map.Entry<String, TrackerConfig> variant : variants.entrySet()) {
                MotMetrics.Summary s = replay(run, variant.getValue(), iou);
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
        for (Map.Entry<String, Map<String, double[]>> model : sums.entrySet()) {
            double shipped = model.getValue().get("shipped")[0];
            for (Map.Entry<String, double[]> variant : model.getValue().entrySet()) {
                double[] s = variant.getValue();
                System.out.printf(Locale.ROOT, "  %-12s %-" + width + "s  %.3f (%+.3f)  FP %.0f  FN %.0f  IDsw %.0f%n",
                        model.getKey(), variant.getKey(), s[0], s[0] - shipped, s[1], s[2], s[3]);
            }
        }
    }
}
