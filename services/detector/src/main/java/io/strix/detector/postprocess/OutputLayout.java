package io.strix.detector.postprocess;

import java.util.Map;
import java.util.OptionalInt;

/**
 * How a YOLO model lays out its output tensor. Both carry cx, cy, w, h in input pixels per candidate location.
 */
public enum OutputLayout {
    /** {@code [B, 4 + nc, N]}: per-class sigmoid scores, no objectness (YOLOv8/11 exports and Strix's model). */
    YOLOV8,
    /** {@code [B, N, 5 + nc]}: objectness then per-class probabilities; a score is their product. */
    YOLOV5;

    /** Floats per candidate location that are not class scores. */
    public int boxColumns() {
        return this == YOLOV8 ? 4 : 5;
    }

    /** The number of candidate locations N in an output of shape [B, d1, d2]. */
    public int candidates(long[] shape) {
        return (int) (this == YOLOV8 ? shape[2] : shape[1]);
    }

    /** The number of classes in an output of shape [B, d1, d2]. */
    public int classes(long[] shape) {
        return (int) (this == YOLOV8 ? shape[1] - 4 : shape[2] - 5);
    }

    /**
     * Tells the layouts apart from the output shape [B, d1, d2], the model's metadata and, when known, the number of
     * class names: Strix and Ultralytics YOLOv8 exports say so in {@code output_layout} or fit {@code d1 = 4 + nc};
     * YOLOv5 fits {@code d2 = 5 + nc}. Without class names, the dimension that is the larger is the candidates one
     * (thousands of locations, a few dozen classes).
     *
     * @throws IllegalArgumentException naming the shape when it fits neither layout
     */
    public static OutputLayout detect(long[] shape, Map<String, String> metadata, OptionalInt classNames) {
        if (shape.length != 3 || shape[1] <= 0 || shape[2] <= 0) {
            throw new IllegalArgumentException("the model's output has shape " + java.util.Arrays.toString(shape)
                    + "; a YOLO detector's is [batch, 4 + classes, candidates] (YOLOv8) or [batch, candidates, "
                    + "5 + classes] (YOLOv5)");
        }
        long d1 = shape[1];
        long d2 = shape[2];
        String declared = metadata.getOrDefault("output_layout", "").replace(" ", "");
        if (declared.startsWith("[B,4+nc,N]") && d1 > 4) {
            return check(YOLOV8, shape, classNames);
        }
        if (declared.startsWith("[B,N,5+nc]") && d2 > 5) {
            return check(YOLOV5, shape, classNames);
        }
        if (classNames.isPresent()) {
            int nc = classNames.getAsInt();
            if (d1 == 4 + nc) {
                return YOLOV8;
            }
            if (d2 == 5 + nc) {
                return YOLOV5;
            }
            throw new IllegalArgumentException("the model names " + nc + " classes but its output shape "
                    + java.util.Arrays.toString(shape) + " fits neither [batch, 4 + " + nc + ", candidates] (YOLOv8)"
                    + " nor [batch, candidates, 5 + " + nc + "] (YOLOv5)");
        }
        if (d1 < d2 && d1 > 4) {
            return YOLOV8;
        }
        if (d2 < d1 && d2 > 5) {
            return YOLOV5;
        }
        throw new IllegalArgumentException("cannot tell the layout of output shape " + java.util.Arrays.toString(shape)
                + " without class names in the model's metadata");
    }

    private static OutputLayout check(OutputLayout layout, long[] shape, OptionalInt classNames) {
        if (classNames.isPresent() && layout.classes(shape) != classNames.getAsInt()) {
            throw new IllegalArgumentException("the model names " + classNames.getAsInt() + " classes but its "
                    + layout + " output shape " + java.util.Arrays.toString(shape) + " has " + layout.classes(shape));
        }
        return layout;
    }
}
