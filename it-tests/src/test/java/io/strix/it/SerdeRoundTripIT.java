package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.schema.Alert;
import io.strix.wire.DeadLetters;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.SampleRecords;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every topic's serde through a real broker, and a bad record routed to the DLQ without stopping the consumer. */
class SerdeRoundTripIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    @BeforeAll
    static void createTopics() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(KAFKA.bootstrapServers(), "it-admin"))) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 3, -1);
        }
    }

    @Test
    void everyTopicRoundTripsThroughTheBroker() {
        for (Map.Entry<Topic<?>, Object> e : SampleRecords.byTopic().entrySet()) {
            assertThat(roundTrip(e.getKey(), e.getValue())).as(e.getKey().name()).isEqualTo(e.getValue());
        }
    }

    @Test
    void frameNearTheFourMegabyteLimitIsAccepted() {
        byte[] jpeg = new byte[Topics.MAX_FRAME_BYTES];
        jpeg[0] = (byte) 0xFF;
        var big = io.strix.schema.Frame.newBuilder(SampleRecords.frame())
                .setJpeg(java.nio.ByteBuffer.wrap(jpeg)).setCameraId("cam-big").build();
        var read = roundTrip(Topics.FRAMES, big);
        assertThat(read.getJpeg().remaining()).isEqualTo(Topics.MAX_FRAME_BYTES);
    }

    @Test
    void badRecordGoesToTheDlqAndTheConsumerCarriesOn() throws Exception {
        String camera = "cam-dlq-" + UUID.randomUUID();
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>(Topics.ALERTS.name(), camera.getBytes(), garbage)).get();
            Alert good = Alert.newBuilder(SampleRecords.alert()).setCameraId(camera).build();
            raw.send(new ProducerRecord<>(Topics.ALERTS.name(), camera.getBytes(),
                    Topics.ALERTS.valueSerde().serializer().serialize(Topics.ALERTS.name(), good))).get();
        }

        List<Alert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, Alert> consumer = consumer(Topics.ALERTS);
             KafkaProducer<byte[], byte[]> dlq = rawProducer()) {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            RecordDecodeException seen = null;
            while (alerts.stream().noneMatch(a -> a.getCameraId().equals(camera)) && System.currentTimeMillis() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
                } catch (RecordDeserializationException e) {
                    seen = RecordDecodeException.from(e);
                    dlq.send(DeadLetters.of(seen, e.keyBuffer() == null ? null : bytes(e.keyBuffer()),
                            bytes(e.valueBuffer()), "it-test")).get();
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
            assertThat(seen).isNotNull();
            assertThat(seen.topic()).isEqualTo(Topics.ALERTS.name());
            assertThat(seen.partition()).isBetween(0, 2);
            assertThat(seen.getMessage()).contains("partition " + seen.partition()).contains("not Avro single-object");
        }
        assertThat(alerts).anyMatch(a -> a.getCameraId().equals(camera));

        try (KafkaConsumer<byte[], byte[]> dlqConsumer = new KafkaConsumer<>(
                KafkaClients.consumer(KAFKA.bootstrapServers(), "it-dlq", "it-dlq-" + UUID.randomUUID()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            dlqConsumer.subscribe(List.of(Topics.DLQ.name()));
            ConsumerRecord<byte[], byte[]> dead = pollOne(dlqConsumer);
            assertThat(dead.value()).isEqualTo(garbage);
            assertThat(new String(dead.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value())).isEqualTo("strix.alerts");
            assertThat(new String(dead.headers().lastHeader(DeadLetters.REASON).value())).contains("not Avro");
        }
    }

    private static <V> V roundTrip(Topic<V> topic, Object value) {
        String camera = "cam-" + UUID.randomUUID();
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                KafkaClients.producer(KAFKA.bootstrapServers(), "it-producer"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            @SuppressWarnings("unchecked") V typed = (V) value;
            producer.send(new ProducerRecord<>(topic.name(), camera, typed)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        try (KafkaConsumer<String, V> consumer = consumer(topic)) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key().equals(camera)) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("record for " + camera + " never arrived on " + topic);
    }

    private static <V> KafkaConsumer<String, V> consumer(Topic<V> topic) {
        return new KafkaConsumer<>(KafkaClients.consumer(KAFKA.bootstrapServers(), "it-consumer",
                "it-" + UUID.randomUUID()), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(KafkaClients.producer(KAFKA.bootstrapServers(), "it-raw"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static <K, V> ConsumerRecord<K, V> pollOne(KafkaConsumer<K, V> consumer) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records.iterator().next();
            }
        }
        throw new AssertionError("nothing arrived");
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
