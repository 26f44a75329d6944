package io.strix.detector.worker;

import io.strix.common.kafka.KafkaClients;
import io.strix.wire.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from its start, without a group, as read_committed (or read_uncommitted) clients see it. */
final class TopicReader<V> implements AutoCloseable {
    private final Topic<V> topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    TopicReader(String bootstrap, Topic<V> topic, boolean committedOnly) {
        this.topic = topic;
        Map<String, Object> props = KafkaClients.consumer(bootstrap, "test-reader-" + topic.name(), "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything readable now (up to the end offsets, or the last stable offsets when read_committed). */
    List<ConsumerRecord<byte[], byte[]>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.currentTimeMillis() + 30_000;
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("could not read " + topic + " to its end " + end);
            }
            poll();
        }
        return List.copyOf(records);
    }

    /** Polls until the values read so far satisfy {@code condition}. */
    List<V> await(Predicate<List<V>> condition, Duration timeout, String what) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (true) {
            poll();
            List<V> values = values();
            if (condition.test(values)) {
                return values;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " on " + topic
                        + "; have " + values.size() + " records");
            }
        }
    }

    List<V> values() {
        return records.stream().map(topic::decode).toList();
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return List.copyOf(records);
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
