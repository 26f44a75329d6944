package io.strix.detector.replay;

import io.strix.common.config.ConfigException;
import io.strix.common.kafka.TopicAdmin;
import io.strix.schema.FrameDetections;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topic a replay writes its detections to: never a Strix production topic, declared like
 * {@code strix.detections} (same value schema, keyed by camera id, deleted after 7 days, not compacted: compaction
 * would keep one record per camera) and created with as many partitions as {@code strix.detections}, so each camera's
 * records land in the same partition number as in production.
 */
final class ShadowTopic {
    private ShadowTopic() {
    }

    /** The topic, or a usage error when {@code name} is, or would collide with, a production topic. */
    static Topic<FrameDetections> of(String name) {
        String wanted = name.strip();
        if (wanted.isEmpty()) {
            throw new ConfigException("--output-topic is empty; name a topic of its own, e.g. strix.detections.shadow");
        }
        for (Topic<?> production : Topics.ALL) {
            // Kafka refuses topics whose names differ only in '.' and '_' (their metric names would collide).
            if (production.name().replace('.', '_').equals(wanted.replace('.', '_'))) {
                throw new ConfigException("--output-topic " + wanted + " is a production topic"
                        + (production.name().equals(wanted) ? "" : " (Kafka treats it as " + production.name() + ")")
                        + "; replay never writes into production topics (" + String.join(", ",
                        Topics.ALL.stream().map(Topic::name).toList()) + "). Name a topic of its own, e.g. "
                        + Topics.DETECTIONS.name() + ".shadow");
            }
        }
        return new Topic<>(wanted, Topics.DETECTIONS.valueSerde(), "detections of a replayed model (strix replay)",
                Map.copyOf(Topics.DETECTIONS.configs()));
    }

    /**
     * Creates the topic when it is missing, with the partitions of {@code strix.detections} (or
     * {@code defaultPartitions} when that does not exist either).
     *
     * @return the partitions of strix.detections, or -1 when it does not exist
     */
    static int ensure(Admin admin, Topic<FrameDetections> topic, int defaultPartitions, int replication)
            throws Exception {
        int production = partitions(admin, Topics.DETECTIONS.name());
        TopicAdmin.ensureTopics(admin, List.of(topic), production > 0 ? production : defaultPartitions, replication);
        return production;
    }

    private static int partitions(Admin admin, String name) throws Exception {
        try {
            TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(name);
            return d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return -1;
            }
            throw e;
        }
    }
}
