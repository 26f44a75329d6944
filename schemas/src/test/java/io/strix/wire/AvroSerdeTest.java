package io.strix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.schema.CameraConfig;
import io.strix.schema.RtspTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    @Test
    void everyTopicRoundTripsItsSampleRecord() {
        for (Map.Entry<Topic<?>, Object> e : SampleRecords.byTopic().entrySet()) {
            assertThat(roundTrip(e.getKey(), e.getValue())).as(e.getKey().name()).isEqualTo(e.getValue());
        }
        assertThat(roundTrip(Topics.DETECTIONS, SampleRecords.skipped())).isEqualTo(SampleRecords.skipped());
    }

    @Test
    void writesStandardSingleObjectEncoding() {
        byte[] bytes = Topics.ALERTS.valueSerde().serializer().serialize("strix.alerts", SampleRecords.alert());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(SampleRecords.alert().getSchema()));
    }

    @Test
    void tombstonesStayNull() {
        assertThat(Topics.CAMERAS.valueSerde().serializer().serialize("strix.cameras", null)).isNull();
        assertThat(Topics.CAMERAS.valueSerde().deserializer().deserialize("strix.cameras", null)).isNull();
    }

    @Test
    void readsRecordWrittenWithAnOlderSchemaVersion() throws IOException {
        Schema older = olderCameraConfig();
        byte[] bytes = writeGeneric(older, Map.of("cameraId", "cam-old", "url", "rtsp://host/s", "enabled", true,
                "targetFps", 2.5f, "updatedAt", SampleRecords.T0.toEpochMilli()));
        AvroSerde<CameraConfig> serde = new AvroSerde<>(CameraConfig.getClassSchema(), SchemaHistory.of(List.of(older)));

        CameraConfig read = serde.decode("strix.cameras", bytes);

        assertThat(read.getCameraId()).isEqualTo("cam-old");
        assertThat(read.getTargetFps()).isEqualTo(2.5f);
        assertThat(read.getUpdatedAt()).isEqualTo(SampleRecords.T0);
        // Fields the old writer did not know take their defaults.
        assertThat(read.getName()).isNull();
        assertThat(read.getRtspTransport()).isEqualTo(RtspTransport.TCP);
        assertThat(read.getJpegQuality()).isEqualTo(85);
        assertThat(read.getOptions()).isEmpty();
    }

    @Test
    void unknownWriterSchemaIsAClearError() throws IOException {
        Schema older = olderCameraConfig();
        byte[] bytes = writeGeneric(older, Map.of("cameraId", "cam-old", "url", "rtsp://host/s", "enabled", true,
                "targetFps", 2.5f, "updatedAt", 0L));
        long fingerprint = SchemaNormalization.parsingFingerprint64(older);

        assertThatThrownBy(() -> Topics.CAMERAS.valueSerde().deserializer().deserialize("strix.cameras", bytes))
                .isInstanceOfSatisfying(RecordDecodeException.class, e -> {
                    assertThat(e.topic()).isEqualTo("strix.cameras");
                    assertThat(e.fingerprint()).isEqualTo(fingerprint);
                    assertThat(e.reason()).contains("unknown writer schema");
                    assertThat(e.getMessage()).contains("strix.cameras").contains(RecordDecodeException.hex(fingerprint));
                });
    }

    @Test
    void truncatedPayloadIsAClearErrorWithItsLocation() {
        byte[] whole = Topics.TRACKS.valueSerde().serializer().serialize("strix.tracks", SampleRecords.tracks());
        byte[] truncated = Arrays.copyOf(whole, whole.length - 7);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("strix.tracks", 5, 123L, "cam-1".getBytes(), truncated);

        assertThatThrownBy(() -> Topics.TRACKS.decode(record))
                .isInstanceOfSatisfying(RecordDecodeException.class, e -> {
                    assertThat(e.topic()).isEqualTo("strix.tracks");
                    assertThat(e.partition()).isEqualTo(5);
                    assertThat(e.offset()).isEqualTo(123L);
                    assertThat(e.fingerprint())
                            .isEqualTo(SchemaNormalization.parsingFingerprint64(SampleRecords.tracks().getSchema()));
                    assertThat(e.reason()).contains("truncated or corrupt");
                    assertThat(e.getMessage()).contains("strix.tracks partition 5 offset 123");
                });
    }

    @Test
    void shorterThanTheHeaderIsAClearError() {
        assertThatThrownBy(() -> Topics.ALERTS.valueSerde().deserializer().deserialize("strix.alerts", new byte[] {(byte) 0xC3, 1, 2}))
                .isInstanceOfSatisfying(RecordDecodeException.class, e -> {
                    assertThat(e.fingerprint()).isNull();
                    assertThat(e.reason()).contains("truncated").contains("3 bytes");
                });
    }

    @Test
    void randomBytesAreAClearErrorNeverAnotherException() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length >= 10) {
                // Half of them get a valid marker and a real fingerprint, so the payload decoder is exercised too.
                byte[] real = Topics.FRAMES.valueSerde().serializer().serialize("strix.frames", SampleRecords.frame());
                System.arraycopy(real, 0, bytes, 0, 10);
            }
            try {
                Topics.FRAMES.valueSerde().deserializer().deserialize("strix.frames", bytes);
            } catch (RecordDecodeException expected) {
                assertThat(expected.getMessage()).startsWith("Cannot decode record from topic strix.frames");
            }
        }
    }

    @Test
    void historyIndexListsEveryFileInSchemasHistory() throws IOException {
        try (InputStream index = getClass().getClassLoader().getResourceAsStream(SchemaHistory.RESOURCE_DIR + "INDEX")) {
            String text = new String(index.readAllBytes());
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of("history"))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".avsc"))
                        .forEach(n -> assertThat(text).as("history/INDEX lists " + n).contains(n));
            }
        }
        SchemaHistory.bundled(); // parses every listed file
    }

    @SuppressWarnings("unchecked")
    private static <V> V roundTrip(Topic<V> topic, Object value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), (V) value);
        return topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
    }

    private static Schema olderCameraConfig() throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream("/older/CameraConfig-v0.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] writeGeneric(Schema schema, Map<String, Object> fields) throws IOException {
        GenericRecord record = new GenericData.Record(schema);
        fields.forEach(record::put);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record, out);
        return out.toByteArray();
    }
}
