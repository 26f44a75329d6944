package io.strix.detector.postprocess;

import io.strix.detector.preprocess.Letterbox;
import io.strix.schema.Box;

/** Maps boxes from the model's input pixels back onto the original frame, clipped, normalized to 0–1. */
public final class FrameBoxes {
    private FrameBoxes() {
    }

    /** Frame-pixel corners x1, y1, x2, y2 of {@code box}, clipped to the frame (as the Python evaluation does). */
    public static double[] framePixels(ScoredBox box, Letterbox letterbox, int width, int height) {
        return new double[] {
            clip(letterbox.toFrameX(box.x1()), width), clip(letterbox.toFrameY(box.y1()), height),
            clip(letterbox.toFrameX(box.x2()), width), clip(letterbox.toFrameY(box.y2()), height)};
    }

    /** {@code box} as a top-left, width, height box in 0–1 of the frame. */
    public static Box normalized(ScoredBox box, Letterbox letterbox, int width, int height) {
        double[] p = framePixels(box, letterbox, width, height);
        return new Box((float) (p[0] / width), (float) (p[1] / height), (float) ((p[2] - p[0]) / width),
                (float) ((p[3] - p[1]) / height));
    }

    private static double clip(double value, int limit) {
        return Math.min(Math.max(value, 0), limit);
    }
}
