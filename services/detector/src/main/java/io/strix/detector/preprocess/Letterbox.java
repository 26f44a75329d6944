package io.strix.detector.preprocess;

/**
 * How a frame was fitted into the model's square input: scaled by {@code ratio} to {@code width × height} and pasted
 * at ({@code left}, {@code top}) on a canvas filled with 114. The same arithmetic as {@code model/strix_model/data.py:
 * letterbox}, including Python's round-half-to-even, so both sides place a frame on the same pixels.
 */
public record Letterbox(int size, double ratio, int width, int height, int left, int top) {
    /** The gray the canvas is filled with, as in YOLO's training. */
    public static final int PAD = 114;

    public static Letterbox fit(int frameWidth, int frameHeight, int size) {
        if (frameWidth < 1 || frameHeight < 1) {
            throw new IllegalArgumentException("frame size " + frameWidth + "x" + frameHeight);
        }
        double ratio = Math.min((double) size / frameWidth, (double) size / frameHeight);
        int width = Math.max(1, (int) Math.rint(frameWidth * ratio));
        int height = Math.max(1, (int) Math.rint(frameHeight * ratio));
        return new Letterbox(size, ratio, width, height, (size - width) / 2, (size - height) / 2);
    }

    /** An x in input pixels as an x in frame pixels. */
    public double toFrameX(double inputX) {
        return (inputX - left) / ratio;
    }

    /** A y in input pixels as a y in frame pixels. */
    public double toFrameY(double inputY) {
        return (inputY - top) / ratio;
    }
}
