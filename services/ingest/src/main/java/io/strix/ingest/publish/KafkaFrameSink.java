package io.strix.ingest.publish;

import io.strix.ingest.worker.FrameSink;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.wire.Topics;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes frames to strix.frames and status changes to strix.camera-status, keyed by camera id. */
public final class KafkaFrameSink implements FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameSink.class);
    private final Producer<byte[], byte[]> producer;

    public KafkaFrameSink(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    @Override
    public void send(Frame frame, Consumer<Exception> done) {
        byte[] value = Topics.FRAMES.valueSerde().serializer().serialize(Topics.FRAMES.name(), frame);
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), key(frame.getCameraId()), value),
                (metadata, error) -> done.accept(error));
    }

    @Override
    public void status(CameraStatus status) {
        byte[] value = Topics.CAMERA_STATUS.valueSerde().serializer().serialize(Topics.CAMERA_STATUS.name(), status);
        producer.send(new ProducerRecord<>(Topics.CAMERA_STATUS.name(), key(status.getCameraId()), value), (m, error) -> {
            if (error != null) {
                LOG.warn("Status of camera {} not written: {}", status.getCameraId(), error.toString());
            }
        });
    }

    /** Keys are camera ids in UTF-8, as a String serializer writes them, so all clients agree on partitions. */
    public static byte[] key(String cameraId) {
        return cameraId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
