package io.strix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    @Test
    void deadLetterKeepsOriginalBytesAndSaysWhereAndWhy() {
        RecordDecodeException error = new RecordDecodeException("strix.frames", -1, -1, 0x1234L, "unknown writer schema", null)
                .at(4, 99);
        byte[] key = "cam-9".getBytes(StandardCharsets.UTF_8);
        byte[] value = {1, 2, 3};

        ProducerRecord<byte[], byte[]> dead = DeadLetters.of(error, key, value, "detector");

        assertThat(dead.topic()).isEqualTo("strix.dlq");
        assertThat(dead.key()).isEqualTo(key);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo("strix.frames");
        assertThat(header(dead, DeadLetters.SOURCE_PARTITION)).isEqualTo("4");
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("99");
        assertThat(header(dead, DeadLetters.FINGERPRINT)).isEqualTo("0x0000000000001234");
        assertThat(header(dead, DeadLetters.REASON)).isEqualTo("unknown writer schema");
        assertThat(header(dead, DeadLetters.SERVICE)).isEqualTo("detector");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
