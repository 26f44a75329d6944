package io.strix.it;

import io.strix.common.kafka.KafkaClients;
import io.strix.wire.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a topic from the beginning in the background and lets a test wait for records it expects; records its
 * serde cannot decode are skipped.
 */
public final class TopicWatcher<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TopicWatcher(String bootstrapServers, Topic<V> topic) {
        // A group of its own, subscribed: it gets every partition, also of a topic created after it started.
        Map<String, Object> props = KafkaClients.consumer(bootstrapServers, "it-watch", "it-watch-" + UUID.randomUUID());
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        thread = new Thread(() -> {
            try {
                consumer.subscribe(List.of(topic.name()));
                while (running) {
                    try {
                        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                    } catch (RecordDeserializationException e) {
                        // A record the topic's serde cannot read (tests write such on purpose): not one to wait for.
                        consumer.seek(e.topicPartition(), e.offset() + 1);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }, "watch-" + topic.name());
        thread.setDaemon(true);
        thread.start();
    }

    public List<V> values(Predicate<V> filter) {
        return records.stream().map(ConsumerRecord::value).filter(v -> v != null && filter.test(v)).toList();
    }

    public List<ConsumerRecord<String, V>> records() {
        return List.copyOf(records);
    }

    /** Waits until some record matches, and returns the first that does. */
    public V await(Predicate<V> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, V> r : records) {
                if (r.value() != null && condition.test(r.value())) {
                    return r.value();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
