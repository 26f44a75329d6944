package io.strix.aggregator.track;

import io.strix.schema.Box;
import io.strix.schema.Detection;

/** A detection as the tracker uses it: top-left box in normalized units, score and class. */
record DetectionBox(double x, double y, double w, double h, double score, int classId, String className) {

    /** The detection, or null when its box or score cannot be tracked (empty or not finite). */
    static DetectionBox of(Detection detection) {
        Box box = detection.getBox();
        double x = box.getX();
        double y = box.getY();
        double w = box.getW();
        double h = box.getH();
        double score = detection.getConfidence();
        if (!Double.isFinite(x) || !Double.isFinite(y) || !(w > 0) || !(h > 0)
                || Double.isInfinite(w) || Double.isInfinite(h) || !Double.isFinite(score)) {
            return null;
        }
        return new DetectionBox(x, y, w, h, score, detection.getClassId(), detection.getClassName());
    }

    double[] measurement() {
        return KalmanBoxFilter.measurementOf(x, y, w, h);
    }
}
