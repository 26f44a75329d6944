package io.strix.aggregator.stream;

import io.strix.wire.DeadLetters;
import io.strix.wire.RecordDecodeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns a record the topology cannot process into a {@code strix.dlq} record: the original key and value bytes,
 * the original headers (the first {@value #MAX_ORIGINAL_HEADER_BYTES} bytes of them), and where it came from and
 * why in {@link DeadLetters} headers. Written by the topology's
 * DLQ sink inside the same transaction as everything else, so a dead letter is written exactly once too.
 */
final class DeadLetterRecords {
    static final String SERVICE = "aggregator";
    /** The most bytes of the original record's headers a letter carries along. */
    static final int MAX_ORIGINAL_HEADER_BYTES = 16 * 1024;

    private DeadLetterRecords() {
    }

    /** A record whose bytes could not be decoded. */
    static Record<Object, Object> of(Record<byte[], byte[]> original, RecordMetadata source,
                                     RecordDecodeException error) {
        ProducerRecord<byte[], byte[]> letter = DeadLetters.of(error.at(source.partition(), source.offset()),
                original.key(), original.value(), SERVICE);
        RecordHeaders headers = new RecordHeaders();
        int headerBytes = 0;
        for (Header header : original.headers()) {
            headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
            if (headerBytes > MAX_ORIGINAL_HEADER_BYTES) {
                break; // the letter must still fit strix.dlq; the record keeps them in its own topic
            }
            headers.add(header);
        }
        letter.headers().forEach(headers::add);
        return new Record<>(letter.key(), letter.value(), original.timestamp(), headers);
    }

    /** A record that decodes but cannot be used (wrong key, invalid content), with the reason. */
    static Record<Object, Object> of(Record<byte[], byte[]> original, RecordMetadata source, String reason) {
        return of(original, source, new RecordDecodeException(source.topic(), source.partition(), source.offset(),
                fingerprint(original.value()), reason, null));
    }

    /** The writer schema fingerprint of a single-object encoded value, or null when there is none to read. */
    static Long fingerprint(byte[] value) {
        if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != (byte) 0x01) {
            return null;
        }
        return ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
