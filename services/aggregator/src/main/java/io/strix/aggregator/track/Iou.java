package io.strix.aggregator.track;

/** Intersection over union of axis-aligned boxes given as left, top, width, height. */
public final class Iou {
    private Iou() {
    }

    public static double of(double x1, double y1, double w1, double h1, double x2, double y2, double w2, double h2) {
        double overlapW = Math.min(x1 + w1, x2 + w2) - Math.max(x1, x2);
        double overlapH = Math.min(y1 + h1, y2 + h2) - Math.max(y1, y2);
        if (overlapW <= 0 || overlapH <= 0) {
            return 0;
        }
        double intersection = overlapW * overlapH;
        double union = w1 * h1 + w2 * h2 - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
