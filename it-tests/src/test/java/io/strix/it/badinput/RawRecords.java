package io.strix.it.badinput;

import io.strix.common.kafka.KafkaClients;
import io.strix.it.TopicWatcher;
import io.strix.wire.DeadLetters;
import io.strix.wire.Mutator;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes raw bytes to Strix topics, as a broken or hostile producer would, and finds the dead letters that the
 * services write for them: each letter names the topic, partition and offset of the record it stands for.
 */
final class RawRecords implements AutoCloseable {
    /** A fingerprint no schema has. */
    static final long UNKNOWN_FINGERPRINT = 0x0123_4567_89AB_CDEFL;

    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicWatcher<byte[]> deadLetters;

    RawRecords(String bootstrapServers) {
        producer = new KafkaProducer<>(KafkaClients.producer(bootstrapServers, "it-bad-input"),
                new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = new TopicWatcher<>(bootstrapServers, Topics.DLQ);
    }

    /** Writes the record and returns where it went; a record the producer or broker refuses throws. */
    RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value)).get(30, TimeUnit.SECONDS);
    }

    <V> RecordMetadata send(Topic<V> topic, String key, V value) throws Exception {
        return send(topic.name(), key, encode(topic, value));
    }

    /** Why the producer or the broker refused the record: the cause of the failed send. */
    Throwable refusal(String topic, String key, byte[] value) throws Exception {
        try {
            send(topic, key, value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the record of " + value.length + " bytes was accepted");
    }

    /** The dead letter of the record written at {@code source}, waiting for it. */
    ConsumerRecord<String, byte[]> deadLetterOf(RecordMetadata source) {
        deadLetters.await(v -> letterOf(source) != null, Duration.ofSeconds(60),
                "the dead letter of " + source.topic() + "-" + source.partition() + "@" + source.offset());
        return letterOf(source);
    }

    /** Dead letters written so far for records of {@code topic}. */
    long deadLettersOf(String topic) {
        return deadLetters.records().stream().filter(r -> topic.equals(header(r, DeadLetters.SOURCE_TOPIC))).count();
    }

    private ConsumerRecord<String, byte[]> letterOf(RecordMetadata source) {
        return deadLetters.records().stream()
                .filter(r -> source.topic().equals(header(r, DeadLetters.SOURCE_TOPIC))
                        && String.valueOf(source.partition()).equals(header(r, DeadLetters.SOURCE_PARTITION))
                        && String.valueOf(source.offset()).equals(header(r, DeadLetters.SOURCE_OFFSET)))
                .findFirst().orElse(null);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static <V> byte[] encode(Topic<V> topic, Object value) {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) value);
    }

    /** The record cut after {@code keep} bytes. */
    static byte[] truncated(byte[] record, int keep) {
        return Arrays.copyOf(record, keep);
    }

    /** A valid payload under a writer schema fingerprint nobody knows. */
    static byte[] unknownFingerprint(byte[] record) {
        byte[] out = record.clone();
        ByteBuffer.wrap(out, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(UNKNOWN_FINGERPRINT);
        return out;
    }

    /** The record with its first field, a string, claiming to be 2 GiB long (about 20 bytes of lies). */
    static byte[] hugeLength(byte[] record) {
        return Mutator.replaceVarint(record, 10, 0x7FFF_FFF8L);
    }

    @Override
    public void close() {
        deadLetters.close();
        producer.close(Duration.ofSeconds(10));
    }
}
