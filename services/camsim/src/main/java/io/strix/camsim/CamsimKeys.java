package io.strix.camsim;

import io.strix.camsim.render.FrameSize;
import io.strix.common.config.ConfigKey;
import java.nio.file.Path;

/** The settings of the camsim actions; env names follow from the key names (STRIX_CAMSIM_SEED, ...). */
public final class CamsimKeys {
    public static final ConfigKey<String> SCENARIO = ConfigKey.string("camsim.scenario", "street",
            "Built-in scenario (street, crossing, parking, night, mixed) or a scenario file (.yaml, .yml, .json)."
    ).withFlag("--scenario");
    public static final ConfigKey<Integer> SEED = ConfigKey.integer("camsim.seed", 1, 0, Integer.MAX_VALUE,
            "Seed of the scene and everything in it; the same seed gives the same frames and ground truth.")
            .withFlag("--seed");
    public static final ConfigKey<FrameSize> SIZE = new ConfigKey<>("camsim.size", "WxH", FrameSize::parse,
            new FrameSize(640, 360), false, false, "Image size in pixels.").withFlag("--size");
    public static final ConfigKey<Double> FPS = number("camsim.fps", 10.0, 0.1, 120,
            "Frames per second of the video (the simulation steps 1/fps seconds a frame).").withFlag("--fps");
    public static final ConfigKey<Double> SECONDS = number("camsim.seconds", 10.0, 0.1, 86_400,
            "Length of the video in seconds; it has round(fps x seconds) frames.").withFlag("--seconds");
    public static final ConfigKey<Path> OUT = new ConfigKey<>("camsim.out", "path", Path::of, null, true, false,
            "Where to write: the MP4 (render), the dataset folder (dataset), the PNG (preview).").withFlag("--out");
    public static final ConfigKey<Path> GT = ConfigKey.path("camsim.gt", null,
            "Also write MOTChallenge ground truth (frame,id,x,y,w,h,conf,class,visibility) to this file.")
            .withFlag("--gt");
    public static final ConfigKey<Integer> IMAGES = ConfigKey.integer("camsim.images", 1000, 1, 10_000_000,
            "Number of images in the dataset (train and val together).").withFlag("--images");
    public static final ConfigKey<Double> VAL_FRACTION = number("camsim.val-fraction", 0.1, 0, 0.9,
            "Share of the dataset's scenes that go to val (whole scenes: train and val never share one).")
            .withFlag("--val-fraction");
    public static final ConfigKey<Integer> THREADS = ConfigKey.integer("camsim.threads", 0, 0, 256,
            "Threads rendering dataset scenes in parallel; 0 = one per CPU.").withFlag("--threads");
    public static final ConfigKey<Double> TIME = number("camsim.time", 5.0, 0, 86_400,
            "Seconds into the scene at which the preview is taken.").withFlag("--time");
    public static final ConfigKey<String> SHEET = ConfigKey.string("camsim.sheet", "1x1",
            "Preview as a contact sheet of COLSxROWS scenes (seeds seed, seed+1, ...), e.g. 3x3.").withFlag("--sheet");
    public static final ConfigKey<Boolean> BOXES = new ConfigKey<>("camsim.boxes", "true|false",
            CamsimKeys::bool, Boolean.TRUE, false, false,
            "Draw the ground-truth boxes (class, id, visibility) on the preview.").withFlag("--boxes");
    public static final ConfigKey<Integer> FRAMES = ConfigKey.integer("camsim.frames", 200, 10, 1_000_000,
            "Frames to render per scenario in the benchmark.").withFlag("--frames");

    private CamsimKeys() {
    }

    static ConfigKey<Double> number(String name, double defaultValue, double min, double max, String doc) {
        return new ConfigKey<>(name, "number", s -> {
            double v;
            try {
                v = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a number");
            }
            if (!(v >= min && v <= max)) {
                throw new IllegalArgumentException(s.strip() + " is outside " + fmt(min) + ".." + fmt(max));
            }
            return v;
        }, defaultValue, false, false, doc);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static Boolean bool(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not true or false");
        };
    }
}
