package io.strix.detector.preprocess;

/**
 * The model input a frame is letterboxed into: {@code width × height} pixels, the tensor [B, 3, height, width]. Square
 * for most YOLO exports (320 × 320); 16:9 ones such as 576 × 320 spend no pixels on padding for 16:9 cameras.
 */
public record InputSize(int width, int height) {
    public InputSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("input size " + width + "x" + height);
        }
    }

    public static InputSize square(int size) {
        return new InputSize(size, size);
    }

    /** Pixels of one channel plane. */
    public int pixels() {
        return width * height;
    }

    /** "320" when square, else "576x320" (width × height). */
    @Override
    public String toString() {
        return width == height ? Integer.toString(width) : width + "x" + height;
    }
}
