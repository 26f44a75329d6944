package io.strix.ingest.source;

import org.bytedeco.javacv.Frame;

/** An open camera stream that hands out decoded pictures, one at a time. Closed by its worker. */
public interface CameraSource extends AutoCloseable {
    /**
     * Blocks for the next decoded picture.
     *
     * @param convert false when the caller will drop this picture anyway: it is decoded (the stream needs that) but
     *                not converted to BGR nor scaled, which is most of the cost of a frame the sampler skips
     * @return the picture, valid until the next call; null at the end of the stream. Its image is BGR, scaled to
     *         the camera's max width, when {@code convert} was true, and absent otherwise.
     * @throws SourceException on a read error or when no data arrives within the read timeout
     */
    Frame grab(boolean convert) throws SourceException;

    /** The picture's presentation time in microseconds (stream clock), monotonic within one open source. */
    long timestampMicros();

    @Override
    void close();
}
