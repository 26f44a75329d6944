package io.strix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.strix.schema.Alert;
import io.strix.schema.CameraConfig;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.RuleSet;
import io.strix.schema.TrackSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link AvroSerde#decode} of every topic with a seeded corpus made from valid records: each input either
 * decodes to a valid record (one that encodes again and reads back the same) or raises {@link RecordDecodeException}
 * naming the topic; never another exception, never an {@link OutOfMemoryError}, never a hang. The seed is printed;
 * {@code -Dstrix.fuzz.seed=N} replays a run, {@code -Dstrix.fuzz.inputs=N} changes its size.
 */
class AvroSerdeFuzzTest {
    private static final long SEED = Long.getLong("strix.fuzz.seed", 20261127L);
    private static final int INPUTS_PER_TOPIC = Integer.getInteger("strix.fuzz.inputs", 5_000);
    /** A corrupt record may make the decoder allocate about its own size a few times over, never more. */
    private static final long MAX_ALLOCATION_BYTES = 8L * 1024 * 1024;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard, not a speed test: the run takes seconds
    void everyTopicDecodesMutatedRecordsOrSaysWhyNot() {
        System.err.printf("AvroSerdeFuzzTest: seed %d, %d inputs per topic (-Dstrix.fuzz.seed=%d to replay)%n",
                SEED, INPUTS_PER_TOPIC, SEED);
        Map<Topic<?>, List<byte[]>> valid = validEncodings();
        List<byte[]> everything = valid.values().stream().flatMap(List::stream).toList();
        Mutator mutator = new Mutator(SEED);
        int decoded = 0;
        int refused = 0;
        for (Topic<?> topic : Topics.ALL) {
            List<byte[]> seeds = valid.getOrDefault(topic, List.of(new byte[] {1, 2, 3}));
            for (int i = 0; i < INPUTS_PER_TOPIC; i++) {
                byte[] input;
                switch (i % 10) {
                    case 0 -> input = mutator.randomBytes(300);
                    case 1 -> {
                        // A real header (of this topic or another) over random bytes: the payload decoder is reached.
                        byte[] header = everything.get(mutator.random().nextInt(everything.size()));
                        input = mutator.randomBytes(300);
                        if (input.length >= AvroSerde.HEADER_LENGTH) {
                            System.arraycopy(header, 0, input, 0, AvroSerde.HEADER_LENGTH);
                        }
                    }
                    default -> input = mutator.mutate(seeds.get(mutator.random().nextInt(seeds.size())), everything);
                }
                if (decodeOrRefuse(topic, input, "input " + i + " of " + topic + ": " + mutator.lastMutation())) {
                    decoded++;
                } else {
                    refused++;
                }
            }
        }
        System.err.printf("AvroSerdeFuzzTest: %d inputs decoded to valid records, %d refused with the typed error%n",
                decoded, refused);
        assertThat(refused).as("most mutations break a record").isGreaterThan(decoded);
    }

    /**
     * Each length and count field of each topic's records, set to huge, negative and just-too-large values: a clear
     * error, and the decoder never allocates more than a few MiB for a record of a few hundred bytes.
     */
    @Test
    void lengthFieldsThatAskForGigabytesAreRefusedWithoutAllocatingThem() throws IOException {
        int checked = 0;
        for (Map.Entry<Topic<?>, List<byte[]>> e : validEncodings().entrySet()) {
            AvroSerde<?> serde = (AvroSerde<?>) e.getKey().valueSerde();
            for (byte[] record : e.getValue()) {
                for (int position : lengthFieldPositions(serde, record)) {
                    for (long value : new long[] {-1, Integer.MIN_VALUE, 0x7FFF_FFF8L, Long.MAX_VALUE,
                            record.length - position + 1L}) {
                        byte[] corrupt = Mutator.replaceVarint(record, position, value);
                        String what = e.getKey() + ": length field at byte " + position + " set to " + value;
                        long before = allocatedBytes();
                        decodeOrRefuse(e.getKey(), corrupt, what);
                        long allocated = allocatedBytes() - before;
                        assertThat(allocated).as(what + ": bytes allocated while decoding")
                                .isLessThan(MAX_ALLOCATION_BYTES);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("length fields found in the sample records").isGreaterThan(100);
    }

    /** True when {@code input} decoded to a valid record, false when it was refused with the typed error. */
    private static boolean decodeOrRefuse(Topic<?> topic, byte[] input, String what) {
        Object value;
        try {
            value = topic.valueSerde().deserializer().deserialize(topic.name(), input);
        } catch (RecordDecodeException expected) {
            assertThat(expected.getMessage()).as(what).startsWith("Cannot decode record from topic " + topic.name());
            assertThat(expected.reason()).as(what).isNotBlank();
            return false;
        } catch (Throwable e) {
            throw new AssertionError("seed " + SEED + ", " + what + ": " + e + " instead of RecordDecodeException;"
                    + " input " + Mutator.hex(input), e);
        }
        assertThat(value).as(what).isNotNull();
        if (topic.valueSerde() instanceof AvroSerde<?> serde) {
            assertReEncodes(serde, value, topic, what);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void assertReEncodes(AvroSerde<T> serde, Object value, Topic<?> topic,
                                                                   String what) {
        try {
            // Bytes, not records, are compared: Avro's record equality holds NaN unequal to itself.
            byte[] encoded = serde.encode((T) value);
            assertThat(serde.encode(serde.decode(topic.name(), encoded))).as(what + ": re-encoded").isEqualTo(encoded);
        } catch (RuntimeException e) {
            fail("seed " + SEED + ", " + what + ": decoded to a record that does not encode again: " + e, e);
        }
    }

    /** Valid records of every Avro topic: the samples, plus variants with empty and absent optional parts. */
    static Map<Topic<?>, List<byte[]>> validEncodings() {
        Map<Topic<?>, List<Object>> records = new LinkedHashMap<>();
        SampleRecords.byTopic().forEach((topic, record) -> records.computeIfAbsent(topic, t -> new ArrayList<>())
                .add(record));
        records.get(Topics.DETECTIONS).add(SampleRecords.skipped());
        records.get(Topics.DETECTIONS).add(FrameDetections.newBuilder(SampleRecords.detections())
                .setDetections(List.of()).build());
        records.get(Topics.CAMERAS).add(CameraConfig.newBuilder(SampleRecords.camera()).setName(null)
                .setOptions(Map.of()).build());
        records.get(Topics.FRAMES).add(Frame.newBuilder(SampleRecords.frame()).setStreamPtsMicros(null)
                .setJpeg(ByteBuffer.allocate(0)).build());
        records.get(Topics.TRACKS).add(TrackSnapshot.newBuilder(SampleRecords.tracks()).setTracks(List.of()).build());
        records.get(Topics.ALERTS).add(Alert.newBuilder(SampleRecords.alert()).setTrackIds(List.of()).build());
        records.get(Topics.RULES).add(RuleSet.newBuilder(SampleRecords.rules()).setZones(List.of())
                .setLines(List.of()).build());
        Map<Topic<?>, List<byte[]>> encodings = new LinkedHashMap<>();
        records.forEach((topic, values) -> encodings.put(topic, values.stream().map(v -> encode(topic, v)).toList()));
        return encodings;
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] encode(Topic<V> topic, Object value) {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) value);
    }

    /** Where the record's string and bytes lengths and array and map block counts start. */
    private static List<Integer> lengthFieldPositions(AvroSerde<?> serde, byte[] record) throws IOException {
        List<Integer> positions = new ArrayList<>();
        int payload = record.length - AvroSerde.HEADER_LENGTH;
        BoundedDecoder bounded = new BoundedDecoder(record, AvroSerde.HEADER_LENGTH, payload);
        Decoder recording = new PositionRecordingDecoder(bounded, () -> positions.add(
                AvroSerde.HEADER_LENGTH + payload - bounded.remaining()));
        new SpecificDatumReader<>(serde.schema()).read(null, recording);
        return positions;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Tells where each length or count field starts, then reads it with the decoder it wraps. */
    private static final class PositionRecordingDecoder extends Decoder {
        private final Decoder in;
        private final Runnable mark;

        PositionRecordingDecoder(Decoder in, Runnable mark) {
            this.in = in;
            this.mark = mark;
        }

        @Override public void readNull() throws IOException { in.readNull(); }
        @Override public boolean readBoolean() throws IOException { return in.readBoolean(); }
        @Override public int readInt() throws IOException { return in.readInt(); }
        @Override public long readLong() throws IOException { return in.readLong(); }
        @Override public float readFloat() throws IOException { return in.readFloat(); }
        @Override public double readDouble() throws IOException { return in.readDouble(); }
        @Override public Utf8 readString(Utf8 old) throws IOException { mark.run(); return in.readString(old); }
        @Override public String readString() throws IOException { mark.run(); return in.readString(); }
        @Override public void skipString() throws IOException { mark.run(); in.skipString(); }
        @Override public ByteBuffer readBytes(ByteBuffer old) throws IOException { mark.run(); return in.readBytes(old); }
        @Override public void skipBytes() throws IOException { mark.run(); in.skipBytes(); }
        @Override public void readFixed(byte[] b, int start, int len) throws IOException { in.readFixed(b, start, len); }
        @Override public void skipFixed(int length) throws IOException { in.skipFixed(length); }
        @Override public int readEnum() throws IOException { return in.readEnum(); }
        @Override public long readArrayStart() throws IOException { mark.run(); return in.readArrayStart(); }
        @Override public long arrayNext() throws IOException { mark.run(); return in.arrayNext(); }
        @Override public long skipArray() throws IOException { mark.run(); return in.skipArray(); }
        @Override public long readMapStart() throws IOException { mark.run(); return in.readMapStart(); }
        @Override public long mapNext() throws IOException { mark.run(); return in.mapNext(); }
        @Override public long skipMap() throws IOException { mark.run(); return in.skipMap(); }
        @Override public int readIndex() throws IOException { return in.readIndex(); }
    }
}
