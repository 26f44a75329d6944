package io.strix.detector.worker;

import io.strix.common.kafka.KafkaClients;
import io.strix.schema.Frame;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes frames to strix.frames as ingest does: keyed by camera id, Avro single-object encoded. */
final class FrameProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    FrameProducer(String bootstrap) {
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrap, "test-frames"), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    RecordMetadata send(Frame frame) throws ExecutionException, InterruptedException {
        return sendRaw(frame.getCameraId(), Topics.FRAMES.valueSerde().serializer().serialize(Topics.FRAMES.name(), frame));
    }

    RecordMetadata sendRaw(String key, byte[] value) throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(Topics.FRAMES.name(), key.getBytes(StandardCharsets.UTF_8), value))
                .get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
