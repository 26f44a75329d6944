package io.strix.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.kafka.KafkaClients;
import io.strix.common.kafka.TopicAdmin;
import io.strix.common.kafka.TopicReport;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EnsureTopicsIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();
    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(KafkaClients.admin(KAFKA.bootstrapServers(), "it-admin"));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void createsEveryTopicWithItsSettingsThenChangesNothing() throws Exception {
        TopicReport first = TopicAdmin.ensureTopics(admin, Topics.ALL, 4, -1);
        assertThat(first.created()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());

        var frames = new ConfigResource(ConfigResource.Type.TOPIC, Topics.FRAMES.name());
        var config = admin.describeConfigs(List.of(frames)).all().get().get(frames);
        assertThat(config.get("max.message.bytes").value()).isEqualTo(Integer.toString(Topics.MAX_RECORD_BYTES));
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        var cameras = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CAMERAS.name());
        assertThat(admin.describeConfigs(List.of(cameras)).all().get().get(cameras).get("cleanup.policy").value())
                .isEqualTo("compact");
        assertThat(admin.describeTopics(List.of(Topics.FRAMES.name())).allTopicNames().get()
                .get(Topics.FRAMES.name()).partitions()).hasSize(4);

        TopicReport second = TopicAdmin.ensureTopics(admin, Topics.ALL, 4, -1);
        assertThat(second.created()).isEmpty();
        assertThat(second.unchanged()).hasSize(Topics.ALL.size());
        assertThat(second.allAsDeclared()).isTrue();
    }

    @Test
    void concurrentInstancesStartingTogetherAllSucceed() throws Exception {
        List<Topic<?>> topics = List.of(topic("it.race.a"), topic("it.race.b"), topic("it.race.c"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<TopicReport>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Callable<TopicReport> call = () -> {
                try (Admin own = Admin.create(KafkaClients.admin(KAFKA.bootstrapServers(), "it-race"))) {
                    return TopicAdmin.ensureTopics(own, topics, 2, -1);
                }
            };
            results.add(pool.submit(call));
        }
        int created = 0;
        for (Future<TopicReport> result : results) {
            TopicReport report = result.get(60, TimeUnit.SECONDS);
            created += report.created().size();
            assertThat(report.allAsDeclared()).isTrue();
        }
        pool.shutdown();
        assertThat(created).as("each topic created exactly once").isEqualTo(3);
    }

    @Test
    void reportsExistingTopicWhoseSettingsDiffer() throws Exception {
        admin.createTopics(List.of(new NewTopic("it.differs", Optional.of(2), Optional.empty())
                .configs(Map.of("retention.ms", "1000")))).all().get();

        TopicReport report = TopicAdmin.ensureTopics(admin, List.of(topic("it.differs")), 3, -1);

        assertThat(report.created()).isEmpty();
        assertThat(report.differing()).containsKey("it.differs");
        assertThat(report.differing().get("it.differs"))
                .containsExactlyInAnyOrder("partitions=2 (declared 3)", "retention.ms=1000 (declared 60000)");
    }

    private static Topic<byte[]> topic(String name) {
        return new Topic<>(name, Serdes.ByteArray(), "test", Map.of("cleanup.policy", "delete", "retention.ms", "60000"));
    }
}
