package io.strix.ingest.worker;

import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import java.util.function.Consumer;

/** Where a camera worker sends its frames and status changes (Kafka in production). */
public interface FrameSink {
    /** Sends asynchronously; {@code done} gets null on success or the error. */
    void send(Frame frame, Consumer<Exception> done);

    void status(CameraStatus status);
}
