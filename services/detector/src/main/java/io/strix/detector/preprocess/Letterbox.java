package io.strix.detector.preprocess;

/**
 * How a frame was fitted into the model's input: scaled by {@code ratio} to {@code width × height} and pasted at
 * ({@code left}, {@code top}) on an {@code input}-sized canvas filled with 114. The same arithmetic as
 * {@code model/strix_model/data.py: letterbox}, including Python's round-half-to-even, so both sides place a frame on
 * the same pixels.
 */
public record Letterbox(InputSize input, double ratio, int width, int height, int left, int top) {
    /** The gray the canvas is filled with, as in YOLO's training. */
    public static final int PAD = 114;

    public static Letterbox fit(int frameWidth, int frameHeight, InputSize input) {
        if (frameWidth < 1 || frameHeight < 1) {
            throw new IllegalArgumentException("frame size " + frameWidth + "x" + frameHeight);
        }
        double ratio = Math.min((double) input.width() / frameWidth, (double) input.height() / frameHeight);
        int width = Math.max(1, (int) Math.rint(frameWidth * ratio));
        int height = Math.max(1, (int) Math.rint(frameHeight * ratio));
        return new Letterbox(input, ratio, width, height, (input.width() - width) / 2, (input.height() - height) / 2);
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
