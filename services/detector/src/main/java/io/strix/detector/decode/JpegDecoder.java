package io.strix.detector.decode;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import io.strix.detector.preprocess.InputSize;
import io.strix.detector.preprocess.Letterbox;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes JPEG frames to BGR pictures with OpenCV (libjpeg-turbo). Reuses its input and output buffers, so it is
 * one per thread and the picture it returns is valid until the next call.
 *
 * <p>Only JPEGs get to OpenCV, and only those whose header claims at most {@link #MAX_PIXELS} pixels: a forged
 * header of a few bytes could otherwise make it allocate gigabytes (OpenCV allows a billion pixels), and its other
 * codecs are no business of a frame.
 */
public final class JpegDecoder implements AutoCloseable {
    /** The largest picture decoded: 8192 x 8192 pixels, twice an 8K UHD frame. */
    public static final long MAX_PIXELS = 8192L * 8192;

    private BytePointer input = new BytePointer(256 * 1024);
    private final Mat picture = new Mat();

    /** The whole picture; see {@link #decode(ByteBuffer, int)}. */
    public Mat decode(ByteBuffer jpeg) throws UndecodableImageException {
        return decode(jpeg, 1);
    }

    /**
     * @param jpeg      the encoded bytes from its position to its limit (left unchanged)
     * @param reduction 1, 2, 4 or 8: libjpeg-turbo decodes straight to 1/reduction of the size, in the DCT domain
     *                  (an area-averaging downscale that costs a fraction of a full decode); sides are rounded up
     * @throws UndecodableImageException when OpenCV cannot make a picture of them
     */
    public Mat decode(ByteBuffer jpeg, int reduction) throws UndecodableImageException {
        int length = jpeg.remaining();
        if (length == 0) {
            throw new UndecodableImageException("the frame has no JPEG bytes");
        }
        int[] size = declaredSize(jpeg);
        if (size == null) {
            throw new UndecodableImageException("not a JPEG image (" + length + " bytes starting " + head(jpeg)
                    + ", no start-of-frame header)");
        }
        if ((long) size[0] * size[1] > MAX_PIXELS) {
            throw new UndecodableImageException("the JPEG header claims " + size[0] + "x" + size[1]
                    + " pixels, more than the 8192x8192 a frame may have");
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
            imdecode(encoded, flags(reduction), picture);
        } catch (RuntimeException e) {
            throw new UndecodableImageException("OpenCV cannot decode the image: " + e.getMessage());
        }
        if (picture.empty() || picture.cols() < 1 || picture.rows() < 1) {
            throw new UndecodableImageException("not a decodable JPEG (" + length + " bytes starting "
                    + head(jpeg) + ")");
        }
        return picture;
    }

    /**
     * The width and height that a JPEG's start-of-frame header declares, or null when the bytes are no JPEG (no SOI
     * marker, or no frame header before the scan). Reads only the marker segments, never the picture.
     */
    public static int[] declaredSize(ByteBuffer jpeg) {
        int at = jpeg.position();
        int end = jpeg.limit();
        if (end - at < 4 || (jpeg.get(at) & 0xFF) != 0xFF || (jpeg.get(at + 1) & 0xFF) != 0xD8) {
            return null;
        }
        at += 2;
        while (at + 4 <= end) {
            if ((jpeg.get(at) & 0xFF) != 0xFF) {
                return null;
            }
            int marker = jpeg.get(at + 1) & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return null; // end of image, or the scan began without a frame header
            }
            int segment = ((jpeg.get(at + 2) & 0xFF) << 8) | (jpeg.get(at + 3) & 0xFF);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (startOfFrame) {
                if (at + 9 > end) {
                    return null;
                }
                int height = ((jpeg.get(at + 5) & 0xFF) << 8) | (jpeg.get(at + 6) & 0xFF);
                int width = ((jpeg.get(at + 7) & 0xFF) << 8) | (jpeg.get(at + 8) & 0xFF);
                return new int[] {width, height};
            }
            if (segment < 2) {
                return null;
            }
            at += 2 + segment;
        }
        return null;
    }

    private static int flags(int reduction) {
        return switch (reduction) {
            case 1 -> IMREAD_COLOR;
            case 2 -> IMREAD_REDUCED_COLOR_2;
            case 4 -> IMREAD_REDUCED_COLOR_4;
            case 8 -> IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("reduction " + reduction + " is not 1, 2, 4 or 8");
        };
    }

    /**
     * The largest reduction (1, 2, 4 or 8) that still decodes a {@code width × height} frame to at least the size it
     * is letterboxed to in an {@code input}-sized model input, so that the picture is only ever shrunk afterwards,
     * never enlarged.
     */
    public static int reductionFor(int width, int height, InputSize input) {
        if (width < 1 || height < 1) {
            return 1;
        }
        Letterbox target = Letterbox.fit(width, height, input);
        for (int reduction = 8; reduction > 1; reduction /= 2) {
            if (ceilDiv(width, reduction) >= target.width() && ceilDiv(height, reduction) >= target.height()) {
                return reduction;
            }
        }
        return 1;
    }

    /** A side of a frame after decoding at 1/{@code reduction}. */
    public static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
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
