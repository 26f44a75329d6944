package io.strix.detector.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Letterboxes a BGR picture into one image slot of a model input tensor: resized (OpenCV {@code INTER_AREA} when
 * shrinking, the close match of Pillow's antialiased bilinear that the model was trained with; bilinear when
 * enlarging) onto a reused 114-gray canvas, then written as RGB / 255, planar (CHW), into a direct float buffer that
 * ONNX Runtime reads without a copy. One per thread.
 */
public final class LetterboxWriter implements AutoCloseable {
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            UNIT[i] = i / 255.0f;
        }
    }

    private final InputSize input;
    private final Mat canvas;
    private final ByteBuffer canvasBytes;
    private final Scalar pad = new Scalar(Letterbox.PAD, Letterbox.PAD, Letterbox.PAD, 0);

    public LetterboxWriter(InputSize input) {
        this.input = input;
        this.canvas = new Mat(input.height(), input.width(), CV_8UC3);
        this.canvasBytes = canvas.data().capacity((long) input.pixels() * 3).asByteBuffer();
    }

    /** Floats one image takes in the input tensor. */
    public int floatsPerImage() {
        return 3 * input.pixels();
    }

    /**
     * Writes {@code bgr} (8-bit, 3 channels) as image {@code slot} of {@code tensor} ([B, 3, H, W], absolute
     * indexing; the buffer's position is not used or changed).
     */
    public Letterbox write(Mat bgr, FloatBuffer tensor, int slot) {
        Letterbox box = Letterbox.fit(bgr.cols(), bgr.rows(), input);
        canvas.put(pad);
        try (Rect rect = new Rect(box.left(), box.top(), box.width(), box.height());
             Mat target = canvas.apply(rect);
             Size to = new Size(box.width(), box.height())) {
            if (box.width() == bgr.cols() && box.height() == bgr.rows()) {
                bgr.copyTo(target);
            } else {
                resize(bgr, target, to, 0, 0, box.width() < bgr.cols() ? INTER_AREA : INTER_LINEAR);
            }
        }
        int plane = input.pixels();
        int red = slot * 3 * plane;
        int green = red + plane;
        int blue = green + plane;
        ByteBuffer bytes = canvasBytes;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            tensor.put(blue + i, UNIT[bytes.get(p) & 0xff]);
            tensor.put(green + i, UNIT[bytes.get(p + 1) & 0xff]);
            tensor.put(red + i, UNIT[bytes.get(p + 2) & 0xff]);
        }
        return box;
    }

    @Override
    public void close() {
        pad.close();
        canvas.close();
    }
}
