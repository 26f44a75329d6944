package io.strix.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds {@code strix.dlq} records: the original key and value bytes, and where they came from and why in headers. */
public final class DeadLetters {
    public static final String SOURCE_TOPIC = "strix.dlq.topic";
    public static final String SOURCE_PARTITION = "strix.dlq.partition";
    public static final String SOURCE_OFFSET = "strix.dlq.offset";
    public static final String FINGERPRINT = "strix.dlq.fingerprint";
    public static final String REASON = "strix.dlq.reason";
    public static final String SERVICE = "strix.dlq.service";
    public static final String FAILED_AT = "strix.dlq.failed-at";

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> of(RecordDecodeException error, byte[] key, byte[] value,
                                                    String service) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, SOURCE_TOPIC, error.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(error.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(error.offset()));
        if (error.fingerprint() != null) {
            put(headers, FINGERPRINT, RecordDecodeException.hex(error.fingerprint()));
        }
        put(headers, REASON, error.reason());
        put(headers, SERVICE, service);
        put(headers, FAILED_AT, Instant.now().toString());
        return new ProducerRecord<>(Topics.DLQ.name(), null, key, value, headers);
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
