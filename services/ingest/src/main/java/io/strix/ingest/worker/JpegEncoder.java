package io.strix.ingest.worker;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * JPEG-encodes BGR pictures with OpenCV (libjpeg-turbo). One per camera worker, not thread-safe: it reuses its
 * converter and parameter buffer, and the picture is wrapped, not copied.
 */
public final class JpegEncoder implements AutoCloseable {
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final IntPointer params;
    private final BytePointer output = new BytePointer();

    public JpegEncoder(int quality) {
        this.params = new IntPointer(IMWRITE_JPEG_QUALITY, quality);
    }

    public byte[] encode(Frame picture) {
        Mat mat = converter.convert(picture);
        if (!imencode(".jpg", mat, output, params)) {
            throw new IllegalStateException("OpenCV could not encode a " + mat.cols() + "x" + mat.rows() + " picture");
        }
        byte[] jpeg = new byte[(int) output.limit()];
        output.get(jpeg);
        return jpeg;
    }

    @Override
    public void close() {
        params.close();
        output.close();
        converter.close();
    }
}
