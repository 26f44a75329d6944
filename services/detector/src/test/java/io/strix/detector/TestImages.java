package io.strix.detector;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.strix.schema.Frame;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/** JPEG frames made on the spot with OpenCV. */
public final class TestImages {
    private TestImages() {
    }

    /** A JPEG of one flat BGR colour. */
    public static byte[] flatJpeg(int width, int height, int gray) {
        try (Mat image = new Mat(height, width, CV_8UC3, new Scalar(gray, gray, gray, 0));
             BytePointer out = new BytePointer()) {
            imencode(".jpg", image, out);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** A JPEG of seeded noise, which compresses badly: long entropy-coded data, as in a busy scene. */
    public static byte[] noiseJpeg(int width, int height, long seed) {
        byte[] pixels = new byte[width * height * 3];
        new java.util.Random(seed).nextBytes(pixels);
        try (Mat image = new Mat(height, width, CV_8UC3);
             BytePointer out = new BytePointer()) {
            image.data().put(pixels);
            imencode(".jpg", image, out);
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** Any picture OpenCV reads (the PNG fixtures too) as BGR; the detector's JpegDecoder takes JPEGs only. */
    public static Mat decodeAnyImage(byte[] bytes) {
        try (BytePointer data = new BytePointer(bytes); Mat encoded = new Mat(1, bytes.length, CV_8UC1, data)) {
            return imdecode(encoded, IMREAD_COLOR);
        }
    }

    public static Frame frame(String camera, long seq, Instant captured, byte[] jpeg, int width, int height) {
        return new Frame(camera, seq, captured, null, width, height, ByteBuffer.wrap(jpeg), "test-ingest");
    }
}
