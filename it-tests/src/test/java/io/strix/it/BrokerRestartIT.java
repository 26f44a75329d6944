package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.kafka.EmbeddedKafka;
import io.strix.schema.Frame;
import io.strix.wire.SampleRecords;
import io.strix.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker keeps topics and records across a restart on the same data directory. */
class BrokerRestartIT {

    @Test
    void restartOnSameDirectoryKeepsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start("localhost", 0, dataDir, Map.of())) {
            try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it"))) {
                TopicAdmin.ensureTopics(admin, Topics.ALL, 2, -1);
            }
            try (KafkaProducer<String, Frame> producer = new KafkaProducer<>(
                    KafkaClients.producer(kafka.bootstrapServers(), "it"),
                    Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
                for (long seq = 1; seq <= 10; seq++) {
                    producer.send(new ProducerRecord<>(Topics.FRAMES.name(), "cam-1",
                            Frame.newBuilder(SampleRecords.frame()).setSeq(seq).build())).get();
                }
            }
        }

        // Port 0 again: the broker comes back on another port, with the same cluster.
        try (EmbeddedKafka kafka = EmbeddedKafka.start("localhost", 0, dataDir, Map.of())) {
            try (Admin admin = Admin.create(KafkaClients.admin(kafka.bootstrapServers(), "it"))) {
                assertThat(admin.listTopics().names().get())
                        .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
                assertThat(TopicAdmin.ensureTopics(admin, Topics.ALL, 2, -1).created()).isEmpty();
            }
            List<Long> seqs = new ArrayList<>();
            try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(
                    KafkaClients.consumer(kafka.bootstrapServers(), "it", "it-restart"),
                    Topics.FRAMES.keySerde().deserializer(), Topics.FRAMES.valueSerde().deserializer())) {
                consumer.subscribe(List.of(Topics.FRAMES.name()));
                long deadline = System.currentTimeMillis() + 30_000;
                while (seqs.size() < 10 && System.currentTimeMillis() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> seqs.add(r.value().getSeq()));
                }
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }
}
