package io.strix.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class in Avro single-object encoding (marker C3 01, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint, then the binary payload). The reader resolves the writer schema by fingerprint among the
 * current schema and its {@link SchemaHistory}, so schemas can evolve; anything else raises a
 * {@link RecordDecodeException}. A null value (a tombstone) passes through as null.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    static final int HEADER_LENGTH = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSerde(Schema schema, SchemaHistory history) {
        this.schema = schema;
        SpecificData model = SpecificData.getForSchema(schema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        history.olderVersionsOf(schema.getFullName()).forEach(decoder::addSchema);
    }

    public Schema schema() {
        return schema;
    }

    /** Encodes one record; for callers outside Kafka clients (tests, tools). */
    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes one record's bytes read from {@code topic}; the error names the topic but not yet the location. */
    public T decode(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_LENGTH) {
            throw new RecordDecodeException(topic, RecordDecodeException.UNKNOWN_PARTITION,
                    RecordDecodeException.UNKNOWN_OFFSET, null,
                    "truncated: " + data.length + " bytes, shorter than the 10-byte single-object header", null);
        }
        if (data[0] != MARKER_0 || data[1] != MARKER_1) {
            throw new RecordDecodeException(topic, RecordDecodeException.UNKNOWN_PARTITION,
                    RecordDecodeException.UNKNOWN_OFFSET, null,
                    String.format("not Avro single-object encoding: starts with 0x%02x%02x, expected 0xc301",
                            data[0], data[1]), null);
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        try {
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            return fail(topic, fingerprint, "unknown writer schema: not " + schema.getFullName()
                    + " nor any of its versions in schemas/history", e);
        } catch (BadHeaderException e) {
            return fail(topic, fingerprint, "bad header: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Corrupt payloads surface as many kinds of runtime errors (EOF, bad lengths, bad union index, ...).
            return fail(topic, fingerprint, "payload does not match its writer schema " + schema.getFullName()
                    + " (truncated or corrupt): " + e, e);
        }
    }

    private T fail(String topic, long fingerprint, String reason, Throwable cause) {
        throw new RecordDecodeException(topic, RecordDecodeException.UNKNOWN_PARTITION,
                RecordDecodeException.UNKNOWN_OFFSET, fingerprint, reason, cause);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : encode(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::decode;
    }
}
