package io.strix.detector.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the records of a topic whose timestamps lie in {@code [from, to]}, every partition on its own: from the first
 * offset at or after {@code from} ({@code offsetsForTimes}) up to the first record after {@code to}, or up to the end
 * offset the partition had when the reader was made, whichever comes first, so reading a live topic ends. Uses its
 * consumer by assignment (no group, nothing committed); owns it from then on.
 *
 * <p>A reader that is read a stretch at a time holds every partition at a horizon ({@link #holdAfter}): a partition
 * stops after the first record it returns that is timestamped after the horizon, until a later horizon: no partition
 * is read more than one record past it.
 */
final class TimeRangeReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    /** With partitions left and nothing read in this much polling, Kafka is taken to be unreachable. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final long toMillis;
    private final Map<TopicPartition, Long> end = new HashMap<>();
    private final Set<TopicPartition> remaining = new HashSet<>();
    /** Remaining partitions paused at the horizon, with the timestamp of their last record returned (past it). */
    private final Map<TopicPartition, Long> held = new HashMap<>();
    /** No horizon until {@link #holdAfter} sets one. */
    private long horizonMillis = Long.MAX_VALUE;
    /** Time spent in polls that read nothing since the last that did (not the time between polls). */
    private long stalledNanos;

    /** @throws ReplayException when the topic does not exist */
    TimeRangeReader(Consumer<byte[], byte[]> consumer, String topic, Instant from, Instant to) {
        this.consumer = consumer;
        this.topic = topic;
        this.toMillis = to.toEpochMilli();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new ReplayException("topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(at, Duration.ofSeconds(30));
        Map<TopicPartition, Long> seekTo = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp start = starts.get(p);
            long endOffset = ends.getOrDefault(p, 0L);
            // No start: no record at or after `from`. A first record after `to` means nothing in the range either.
            if (start != null && start.offset() < endOffset && start.timestamp() <= toMillis) {
                end.put(p, endOffset);
                seekTo.put(p, start.offset());
            }
        }
        consumer.assign(seekTo.keySet());
        seekTo.forEach(consumer::seek);
        remaining.addAll(seekTo.keySet());
    }

    /** Partitions that hold records of the range. */
    int partitionsInRange() {
        return end.size();
    }

    boolean done() {
        return remaining.isEmpty();
    }

    /**
     * From now on a partition pauses after returning a record timestamped after {@code horizon}; partitions held at
     * an earlier horizon whose last record lies within this one go on. A horizon earlier than the last one is
     * ignored.
     */
    void holdAfter(Instant horizon) {
        horizonMillis = horizonMillis == Long.MAX_VALUE ? horizon.toEpochMilli()
                : Math.max(horizonMillis, horizon.toEpochMilli());
        List<TopicPartition> resume = held.entrySet().stream().filter(e -> e.getValue() <= horizonMillis)
                .map(Map.Entry::getKey).toList();
        resume.forEach(held::remove);
        consumer.resume(resume);
    }

    /** Every partition is done or held at the horizon: {@link #poll()} returns nothing until a later horizon. */
    boolean atHorizon() {
        return held.keySet().containsAll(remaining);
    }

    /** The next records of the range (possibly none for a while); empty once {@link #done()}. */
    List<ConsumerRecord<byte[], byte[]>> poll() {
        if (atHorizon()) {
            return List.of();
        }
        long began = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> inRange = new ArrayList<>();
        boolean progressed = false;
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            progressed = true;
            TopicPartition p = new TopicPartition(record.topic(), record.partition());
            if (!remaining.contains(p)) {
                continue;
            }
            if (held.containsKey(p)) {
                rewind.putIfAbsent(p, record.offset()); // fetched past the horizon: read again after it moves
                continue;
            }
            if (record.offset() >= end.get(p) || record.timestamp() > toMillis) {
                finish(p);
            } else {
                inRange.add(record);
                if (record.timestamp() > horizonMillis) {
                    held.put(p, record.timestamp());
                    consumer.pause(List.of(p));
                }
            }
        }
        rewind.forEach(consumer::seek);
        // Under read_committed the last offsets before the end may be transaction markers or aborted records,
        // which poll never returns: the position tells.
        for (TopicPartition p : List.copyOf(remaining)) {
            if (consumer.position(p, Duration.ofSeconds(30)) >= end.get(p)) {
                finish(p);
                progressed = true;
            }
        }
        stalledNanos = progressed ? 0 : stalledNanos + System.nanoTime() - began;
        if (stalledNanos > STALL.toNanos()) {
            throw new ReplayException("nothing read from " + topic + " for " + STALL.toSeconds() + " s with "
                    + remaining.size() + " partitions left; is Kafka reachable?");
        }
        return inRange;
    }

    private void finish(TopicPartition p) {
        held.remove(p);
        if (remaining.remove(p)) {
            consumer.pause(List.of(p));
        }
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
