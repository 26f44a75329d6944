package io.strix.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds {@code strix.dlq} records: the original key and value bytes, and where they came from and why in headers.
 * A letter always fits {@code strix.dlq} and the producers' request size: of a value larger than a frame may be
 * ({@link #MAX_VALUE_BYTES}) or an absurd key it keeps the first bytes and names the original length in a header
 * (the whole record stays in its topic, at the offset the letter names, for that topic's retention).
 */
public final class DeadLetters {
    public static final String SOURCE_TOPIC = "strix.dlq.topic";
    public static final String SOURCE_PARTITION = "strix.dlq.partition";
    public static final String SOURCE_OFFSET = "strix.dlq.offset";
    public static final String FINGERPRINT = "strix.dlq.fingerprint";
    public static final String REASON = "strix.dlq.reason";
    public static final String SERVICE = "strix.dlq.service";
    public static final String FAILED_AT = "strix.dlq.failed-at";
    /** Present when the letter keeps only the first {@link #MAX_VALUE_BYTES} of the value: its original length. */
    public static final String ORIGINAL_VALUE_BYTES = "strix.dlq.original-value-bytes";
    /** Present when the letter keeps only the first {@link #MAX_KEY_BYTES} of the key: its original length. */
    public static final String ORIGINAL_KEY_BYTES = "strix.dlq.original-key-bytes";

    /** The most value bytes a letter keeps: a whole frame; with key and headers that stays within a record's limit. */
    public static final int MAX_VALUE_BYTES = Topics.MAX_FRAME_BYTES;
    /** The most key bytes a letter keeps; keys are camera ids, 64 characters at most when valid. */
    public static final int MAX_KEY_BYTES = 16 * 1024;
    /** The most characters of a reason (a rejected rule set's can list thousands of problems). */
    static final int MAX_REASON_CHARS = 4 * 1024;

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
        String reason = error.reason();
        put(headers, REASON, reason.length() <= MAX_REASON_CHARS ? reason
                : reason.substring(0, MAX_REASON_CHARS) + "... (" + (reason.length() - MAX_REASON_CHARS)
                        + " more characters)");
        put(headers, SERVICE, service);
        put(headers, FAILED_AT, Instant.now().toString());
        return new ProducerRecord<>(Topics.DLQ.name(), null, capped(key, MAX_KEY_BYTES, ORIGINAL_KEY_BYTES, headers),
                capped(value, MAX_VALUE_BYTES, ORIGINAL_VALUE_BYTES, headers), headers);
    }

    private static byte[] capped(byte[] bytes, int max, String header, RecordHeaders headers) {
        if (bytes == null || bytes.length <= max) {
            return bytes;
        }
        put(headers, header, Integer.toString(bytes.length));
        return Arrays.copyOf(bytes, max);
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
