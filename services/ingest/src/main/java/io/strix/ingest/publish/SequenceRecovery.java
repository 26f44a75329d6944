package io.strix.ingest.publish;

import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the last frame sequence number a camera published, so a camera that restarts or moves to another instance
 * continues its sequence instead of starting over. All of a camera's frames sit on one partition (keyed by camera
 * id); this reads that partition backwards in growing windows until it meets the camera.
 */
public final class SequenceRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceRecovery.class);
    private static final int FIRST_WINDOW = 64;
    private final Consumer<byte[], byte[]> consumer;

    /** @param consumer a consumer of its own (assign mode, read_committed, no group commits) */
    public SequenceRecovery(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** @return the highest sequence number of the camera's frames still in the topic, or -1 when there are none */
    public synchronized long lastSeq(String cameraId) {
        int partitions = consumer.partitionsFor(Topics.FRAMES.name()).size();
        TopicPartition tp = new TopicPartition(Topics.FRAMES.name(),
                BuiltInPartitioner.partitionForKey(cameraId.getBytes(StandardCharsets.UTF_8), partitions));
        consumer.assign(List.of(tp));
        long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        long window = FIRST_WINDOW;
        long scannedFrom = end;
        while (scannedFrom > begin) {
            long from = Math.max(begin, end - window);
            long found = scan(tp, from, scannedFrom, cameraId);
            if (found >= 0) {
                return found;
            }
            scannedFrom = from;
            window *= 4;
        }
        return -1;
    }

    private long scan(TopicPartition tp, long from, long to, String cameraId) {
        consumer.seek(tp, from);
        long max = -1;
        long deadline = System.currentTimeMillis() + 30_000;
        while (consumer.position(tp) < to && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= to || record.key() == null
                        || !cameraId.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                    continue;
                }
                try {
                    max = Math.max(max, Topics.FRAMES.decode(record).getSeq());
                } catch (RecordDecodeException e) {
                    LOG.warn("Skipping undecodable frame while recovering {}'s sequence: {}", cameraId, e.getMessage());
                }
            }
        }
        return max;
    }
}
