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

    @Test
    void deadLetterOfARecordLargerThanAFrameKeepsItsFirstBytesAndFitsTheDlq() {
        RecordDecodeException error = new RecordDecodeException("strix.frames", 2, 7, null, "x".repeat(100_000), null);
        byte[] key = new byte[100_000];
        byte[] value = new byte[Topics.MAX_RECORD_BYTES];
        value[0] = 42;

        ProducerRecord<byte[], byte[]> dead = DeadLetters.of(error, key, value, "detector");

        assertThat(dead.value()).hasSize(DeadLetters.MAX_VALUE_BYTES).startsWith((byte) 42);
        assertThat(dead.key()).hasSize(DeadLetters.MAX_KEY_BYTES);
        assertThat(header(dead, DeadLetters.ORIGINAL_VALUE_BYTES)).isEqualTo(Integer.toString(value.length));
        assertThat(header(dead, DeadLetters.ORIGINAL_KEY_BYTES)).isEqualTo("100000");
        assertThat(header(dead, DeadLetters.REASON)).hasSizeLessThan(5_000).endsWith("(95904 more characters)");
        int headerBytes = 0;
        for (var h : dead.headers()) {
            headerBytes += h.key().length() + h.value().length;
        }
        assertThat(dead.key().length + dead.value().length + headerBytes)
                .as("what the producer's max.request.size (and the topic's max.message.bytes) must take")
                .isLessThan(Topics.MAX_RECORD_BYTES - 1024);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
