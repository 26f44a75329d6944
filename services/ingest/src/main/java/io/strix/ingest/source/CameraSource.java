package io.strix.ingest.source;

import org.bytedeco.javacv.Frame;

/** An open camera stream that hands out decoded pictures, one at a time. Closed by its worker. */
public interface CameraSource extends AutoCloseable {
    /**
     * Blocks for the next decoded picture (BGR, already scaled to the camera's max width).
     *
     * @return the picture, valid until the next call; null at the end of the stream
     * @throws SourceException on a read error or when no data arrives within the read timeout
     */
    Frame grab() throws SourceException;

    /** The picture's presentation time in microseconds (stream clock), monotonic within one open source. */
    long timestampMicros();

    @Override
    void close();
}
