package io.strix.wire;

import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record on a Strix topic that cannot be decoded; names where it lies so the caller can route it to
 * {@code strix.dlq} and carry on.
 */
public final class RecordDecodeException extends SerializationException {
    public static final int UNKNOWN_PARTITION = -1;
    public static final long UNKNOWN_OFFSET = -1L;

    private final String topic;
    private final int partition;
    private final long offset;
    private final Long fingerprint;
    private final String reason;

    public RecordDecodeException(String topic, int partition, long offset, Long fingerprint, String reason, Throwable cause) {
        super(describe(topic, partition, offset, fingerprint, reason), cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.fingerprint = fingerprint;
        this.reason = reason;
    }

    /** The same error, now that the record's partition and offset are known. */
    public RecordDecodeException at(int partition, long offset) {
        return new RecordDecodeException(topic, partition, offset, fingerprint, reason, getCause());
    }

    /**
     * Unwraps the consumer's own error (thrown by {@code poll()} when a value deserializer fails), which knows the
     * partition and offset.
     */
    public static RecordDecodeException from(RecordDeserializationException e) {
        if (e.getCause() instanceof RecordDecodeException decode) {
            return decode.at(e.topicPartition().partition(), e.offset());
        }
        return new RecordDecodeException(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(),
                null, String.valueOf(e.getMessage()), e);
    }

    public String topic() { return topic; }

    public int partition() { return partition; }

    public long offset() { return offset; }

    /** The writer schema's CRC-64-AVRO fingerprint from the record header, or null when the header was unreadable. */
    public Long fingerprint() { return fingerprint; }

    /** Why the record could not be decoded, without the location. */
    public String reason() { return reason; }

    public static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }

    private static String describe(String topic, int partition, long offset, Long fingerprint, String reason) {
        StringBuilder s = new StringBuilder("Cannot decode record from topic ").append(topic);
        s.append(" partition ").append(partition == UNKNOWN_PARTITION ? "?" : Integer.toString(partition));
        s.append(" offset ").append(offset == UNKNOWN_OFFSET ? "?" : Long.toString(offset));
        s.append(" (writer schema fingerprint ").append(fingerprint == null ? "unreadable" : hex(fingerprint)).append(")");
        return s.append(": ").append(reason).toString();
    }
}
