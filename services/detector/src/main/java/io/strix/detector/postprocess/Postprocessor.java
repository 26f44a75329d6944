package io.strix.detector.postprocess;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one image's raw YOLO output into detections, as {@code model/strix_model/boxes.py: postprocess} does: each
 * location keeps its best class, scores at or below the confidence threshold are dropped, the best
 * {@code maxCandidates} go into greedy class-aware NMS, which keeps at most {@code maxDetections}. Not thread-safe
 * (it reuses its scratch arrays).
 */
public final class Postprocessor {
    /** The candidate cap of the Python post-processing (and of Ultralytics' NMS). */
    public static final int DEFAULT_MAX_CANDIDATES = 3000;

    /**
     * @param confidence    a location is a candidate when its score is above this
     * @param iouThreshold  NMS suppresses a box whose IoU with a kept box of its class is above this
     */
    public record Settings(float confidence, float iouThreshold, int maxDetections, int maxCandidates) {
        public Settings {
            if (!(confidence >= 0 && confidence < 1) || !(iouThreshold > 0 && iouThreshold <= 1)
                    || maxDetections < 1 || maxCandidates < 1) {
                throw new IllegalArgumentException("bad post-processing settings: " + confidence + ", " + iouThreshold
                        + ", " + maxDetections + ", " + maxCandidates);
            }
        }

        public Settings(float confidence, float iouThreshold, int maxDetections) {
            this(confidence, iouThreshold, maxDetections, DEFAULT_MAX_CANDIDATES);
        }
    }

    private final Settings settings;
    private final OutputLayout layout;
    private final int locations;
    private final int classes;
    private final int stride;
    private final float[] x1;
    private final float[] y1;
    private final float[] x2;
    private final float[] y2;
    private final float[] scores;
    private final int[] classIds;
    private final Integer[] order;

    public Postprocessor(Settings settings, OutputLayout layout, int locations, int classes) {
        this.settings = settings;
        this.layout = layout;
        this.locations = locations;
        this.classes = classes;
        this.stride = layout.boxColumns() + classes;
        x1 = new float[locations];
        y1 = new float[locations];
        x2 = new float[locations];
        y2 = new float[locations];
        scores = new float[locations];
        classIds = new int[locations];
        order = new Integer[locations];
    }

    /** Floats one image takes in the output tensor. */
    public int floatsPerImage() {
        return locations * stride;
    }

    public Settings settings() {
        return settings;
    }

    /** Detections of image {@code image} of a batch output, best first, in input pixels. */
    public List<ScoredBox> detect(float[] output, int image) {
        int count = layout == OutputLayout.YOLOV8 ? candidatesV8(output, image * floatsPerImage())
                : candidatesV5(output, image * floatsPerImage());
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        // Stable: equal scores keep their location order, as NumPy's stable argsort does.
        Arrays.sort(order, 0, count, (a, b) -> Float.compare(scores[b], scores[a]));
        int considered = Math.min(count, settings.maxCandidates());
        List<ScoredBox> kept = new ArrayList<>();
        for (int k = 0; k < considered && kept.size() < settings.maxDetections(); k++) {
            int i = order[k];
            if (!suppressed(i, kept)) {
                kept.add(new ScoredBox(x1[i], y1[i], x2[i], y2[i], scores[i], classIds[i]));
            }
        }
        return kept;
    }

    private boolean suppressed(int i, List<ScoredBox> kept) {
        for (ScoredBox box : kept) {
            if (box.classId() == classIds[i] && iou(box, x1[i], y1[i], x2[i], y2[i]) > settings.iouThreshold()) {
                return true;
            }
        }
        return false;
    }

    /** IoU in double precision, as the Python reference computes it. */
    static double iou(ScoredBox a, float bx1, float by1, float bx2, float by2) {
        double w = Math.max(0, Math.min((double) a.x2(), bx2) - Math.max((double) a.x1(), bx1));
        double h = Math.max(0, Math.min((double) a.y2(), by2) - Math.max((double) a.y1(), by1));
        double inter = w * h;
        double union = ((double) a.x2() - a.x1()) * ((double) a.y2() - a.y1())
                + ((double) bx2 - bx1) * ((double) by2 - by1) - inter;
        return union > 0 ? inter / Math.max(union, 1e-12) : 0.0;
    }

    private int candidatesV8(float[] out, int base) {
        int count = 0;
        for (int i = 0; i < locations; i++) {
            int best = 0;
            float bestScore = out[base + 4 * locations + i];
            for (int c = 1; c < classes; c++) {
                float s = out[base + (4 + c) * locations + i];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            if (bestScore > settings.confidence()) {
                add(count++, out[base + i], out[base + locations + i], out[base + 2 * locations + i],
                        out[base + 3 * locations + i], bestScore, best);
            }
        }
        return count;
    }

    private int candidatesV5(float[] out, int base) {
        int count = 0;
        for (int i = 0; i < locations; i++) {
            int row = base + i * stride;
            float objectness = out[row + 4];
            if (!(objectness > settings.confidence())) {
                continue; // class probabilities are at most 1, so the product cannot pass either
            }
            int best = 0;
            float bestProb = out[row + 5];
            for (int c = 1; c < classes; c++) {
                if (out[row + 5 + c] > bestProb) {
                    bestProb = out[row + 5 + c];
                    best = c;
                }
            }
            float score = objectness * bestProb;
            if (score > settings.confidence()) {
                add(count++, out[row], out[row + 1], out[row + 2], out[row + 3], score, best);
            }
        }
        return count;
    }

    private void add(int k, float cx, float cy, float w, float h, float score, int classId) {
        x1[k] = cx - w / 2;
        y1[k] = cy - h / 2;
        x2[k] = cx + w / 2;
        y2[k] = cy + h / 2;
        scores[k] = score;
        classIds[k] = classId;
    }
}
