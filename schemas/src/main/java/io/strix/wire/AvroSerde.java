package io.strix.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class in Avro single-object encoding (marker C3 01, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint, then the binary payload). The reader resolves the writer schema by fingerprint among the
 * current schema and its {@link SchemaHistory}, so schemas can evolve; anything else raises a
 * {@link RecordDecodeException}. A null value (a tombstone) passes through as null.
 *
 * <p>Decoding never allocates more than the record's own size: a corrupt length field that asks for gigabytes is
 * a {@link RecordDecodeException} too (see {@link BoundedDecoder}), never an {@link OutOfMemoryError}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    static final int HEADER_LENGTH = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    /** By writer schema fingerprint: a reader from that writer schema to the current one. Thread-safe readers. */
    private final Map<Long, DatumReader<T>> readers = new HashMap<>();

    public AvroSerde(Schema schema, SchemaHistory history) {
        this.schema = schema;
        SpecificData model = SpecificData.getForSchema(schema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        readers.put(SchemaNormalization.parsingFingerprint64(schema), new SpecificDatumReader<>(schema, schema, model));
        for (Schema older : history.olderVersionsOf(schema.getFullName())) {
            readers.putIfAbsent(SchemaNormalization.parsingFingerprint64(older),
                    new SpecificDatumReader<>(older, schema, model));
        }
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
        DatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            return fail(topic, fingerprint, "unknown writer schema: not " + schema.getFullName()
                    + " nor any of its versions in schemas/history", null);
        }
        try {
            return reader.read(null, new BoundedDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH));
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
