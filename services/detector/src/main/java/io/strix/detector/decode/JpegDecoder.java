package io.strix.detector.decode;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes JPEG frames to BGR pictures with OpenCV (libjpeg-turbo). Reuses its input and output buffers, so it is
 * one per thread and the picture it returns is valid until the next call.
 */
public final class JpegDecoder implements AutoCloseable {
    private BytePointer input = new BytePointer(256 * 1024);
    private final Mat picture = new Mat();

    /**
     * @param jpeg the encoded bytes from its position to its limit (left unchanged)
     * @throws UndecodableImageException when OpenCV cannot make a picture of them
     */
    public Mat decode(ByteBuffer jpeg) throws UndecodableImageException {
        int length = jpeg.remaining();
        if (length == 0) {
            throw new UndecodableImageException("the frame has no JPEG bytes");
        }
        if (input.capacity() < length) {
            input.close();
            input = new BytePointer(Math.max(length, 2 * input.capacity()));
        }
        input.position(0).limit(length);
        input.asByteBuffer().put(jpeg.duplicate());
        // imdecode leaves its output untouched when no codec recognises the bytes: clear the previous picture.
        picture.release();
        try (Mat encoded = new Mat(1, length, CV_8UC1, input)) {
            imdecode(encoded, IMREAD_COLOR, picture);
        } catch (RuntimeException e) {
            throw new UndecodableImageException("OpenCV cannot decode the image: " + e.getMessage());
        }
        if (picture.empty() || picture.cols() < 1 || picture.rows() < 1) {
            throw new UndecodableImageException("not a decodable image (" + length + " bytes starting "
                    + head(jpeg) + ")");
        }
        return picture;
    }

    private static String head(ByteBuffer bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.remaining()); i++) {
            s.append(String.format("%02X", bytes.get(bytes.position() + i)));
        }
        return s.toString();
    }

    @Override
    public void close() {
        picture.close();
        input.close();
    }
}
