package io.strix.ingest.source;

import io.strix.schema.CameraConfig;
import java.time.Duration;

/** Opens the right kind of source for a camera's URL. */
public interface SourceFactory {
    /**
     * Connects and returns a source that delivers pictures; blocks at most about {@code timeout}.
     *
     * @throws SourceException when the camera cannot be opened
     */
    CameraSource open(CameraConfig camera, Duration timeout) throws SourceException;
}
