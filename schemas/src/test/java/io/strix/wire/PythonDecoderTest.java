package io.strix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that the wire format is standard Avro: schemas/python/strix_avro.py, using only Debian's python3-avro and
 * the .avsc files, decodes what Strix wrote.
 */
class PythonDecoderTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void pythonAvroDecodesEveryRecordStrixWrites(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of(PYTHON, "python/strix_avro.py"));
        List<String> expectedSchemas = new ArrayList<>();
        for (Map.Entry<Topic<?>, Object> e : SampleRecords.byTopic().entrySet()) {
            Path file = dir.resolve(e.getKey().name() + ".bin");
            Files.write(file, encode(e.getKey(), e.getValue()));
            args.add(file.toString());
            expectedSchemas.add(((org.apache.avro.specific.SpecificRecord) e.getValue()).getSchema().getFullName());
        }
        Path garbage = dir.resolve("garbage.bin");
        Files.write(garbage, new byte[] {(byte) 0xC3, 1, 9, 9, 9, 9, 9, 9, 9, 9, 0});
        args.add(garbage.toString());

        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output).as("python3-avro must be installed (apt-get install python3-avro)")
                .doesNotContain("ModuleNotFoundError");
        for (String schema : expectedSchemas) {
            assertThat(output).contains("\"schema\": \"" + schema + "\"");
        }
        // Field values survive, logical types included.
        assertThat(output).contains("\"incidentId\": \"cam-1/zone-door/17\"")
                .contains("\"trackIds\": [7, 9]")
                .contains("\"captureTime\": \"2026-11-27T12:00:00.123000+00:00\"")
                .contains("\"className\": \"person\"")
                .contains("\"polygon\": [{\"x\": 0.10000000149011612");
        assertThat(output).contains("unknown writer schema fingerprint 0x0909090909090909");
        assertThat(process.exitValue()).as("one bad file").isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] encode(Topic<V> topic, Object value) throws IOException {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) value);
    }
}
