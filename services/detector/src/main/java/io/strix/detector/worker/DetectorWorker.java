package io.strix.detector.worker;

import io.strix.detector.pipeline.DetectorMetrics;
import io.strix.detector.pipeline.DetectorMetrics.Stage;
import io.strix.detector.pipeline.FrameBatch;
import io.strix.detector.pipeline.FrameInput;
import io.strix.detector.pipeline.FrameOutcome;
import io.strix.detector.pipeline.FramePipeline;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.wire.DeadLetters;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's consume-detect-produce loop. It reads {@code strix.frames} in a consumer group, gathers frames from
 * all its partitions into batches of up to {@code maxBatch} frames or {@code batchWait}, and publishes one
 * {@code FrameDetections} per frame (and dead letters) together with the consumed offsets in Kafka transactions, so
 * a crash neither loses nor doubles a frame's record. A transaction spans the batches of up to
 * {@code commitInterval}, or one batch when no other follows it. Records keep their partition order.
 *
 * <p>While one batch is inferred on the inference thread, this thread polls and decodes the next one and publishes
 * the one before. On a rebalance the batch in flight is published before its partitions are given up; when a
 * transaction fails, it is aborted and every partition rewinds to its committed offset. A fenced producer (another
 * instance took over this transactional id) is fatal: the loop ends and {@link #failure()} says why.
 */
public final class DetectorWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorWorker.class);
    private static final String SERVICE = "detector";
    private static final long IDLE_POLL_MS = 200;

    /**
     * @param maxBatch       the most frames in one inference
     * @param batchWait      how long a batch waits for more frames once it has its first
     * @param commitInterval how long a transaction may stay open while more batches keep coming; when no batch
     *                       follows, it is committed at once
     */
    public record Settings(int maxBatch, Duration batchWait, Duration commitInterval) {
    }

    /** A record that becomes a frame of the batch ({@code frameIndex} ≥ 0) or a dead letter. */
    private record Item(ConsumerRecord<byte[], byte[]> record, int frameIndex,
                        ProducerRecord<byte[], byte[]> deadLetter) {
    }

    /** A batch between polling and publishing. */
    private record Work(List<Item> items, FrameBatch batch, Map<TopicPartition, OffsetAndMetadata> offsets,
                        Future<FrameBatch> inferred) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final FramePipeline pipeline;
    private final DetectorMetrics metrics;
    private final Settings settings;
    private final Serializer<FrameDetections> serializer = Topics.DETECTIONS.valueSerde().serializer();
    private final ExecutorService inference = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "detector-inference");
        t.setDaemon(true);
        return t;
    });
    private final Deque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
    private final List<ConsumerRecord<byte[], byte[]>> collecting = new ArrayList<>();
    private Work inFlight;
    private boolean transactionOpen;
    private long transactionStarted;
    private final Map<TopicPartition, OffsetAndMetadata> uncommittedOffsets = new HashMap<>();
    private final List<Long> uncommittedCaptures = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * @param consumer a read_committed consumer in the detector's group, not subscribed yet, auto-commit off
     * @param producer a transactional producer, transactions not initialised yet
     */
    public DetectorWorker(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                          FramePipeline pipeline, DetectorMetrics metrics, Settings settings) {
        this.consumer = consumer;
        this.producer = producer;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.FRAMES.name()), new Rebalance());
            while (running) {
                List<ConsumerRecord<byte[], byte[]>> records = collect();
                Work next = records.isEmpty() ? null : prepare(records);
                Work previous = inFlight;
                inFlight = null;
                if (previous != null) {
                    awaitInference(previous);
                }
                if (next != null) {
                    inFlight = submit(next);
                }
                if (previous != null) {
                    // Commit now when nothing follows (a live stream's frame is not held back), else per interval.
                    publishOrRewind(previous, next == null);
                } else if (transactionOpen) {
                    publishOrRewind(null, true);
                }
            }
            if (inFlight != null) {
                Work last = inFlight;
                inFlight = null;
                awaitInference(last);
                publishOrRewind(last, true);
            } else if (transactionOpen) {
                publishOrRewind(null, true);
            }
        } catch (Throwable e) {
            failure = e;
            LOG.error("The detector stops: {}", e.toString(), e);
        } finally {
            running = false;
            inference.shutdownNow();
        }
    }

    /** Asks the loop to finish the batch in flight and return. */
    public void stop() {
        running = false;
    }

    /** Why the loop ended on its own; null while it runs or after {@link #stop()}. */
    public Throwable failure() {
        return failure;
    }

    private List<ConsumerRecord<byte[], byte[]>> collect() {
        collecting.clear();
        while (!buffered.isEmpty() && collecting.size() < settings.maxBatch()) {
            collecting.add(buffered.poll());
        }
        long waitMs = settings.batchWait().toMillis();
        long now = System.currentTimeMillis();
        long firstAt = collecting.isEmpty() ? -1 : now;
        long idleUntil = now + (inFlight != null ? waitMs : IDLE_POLL_MS);
        boolean polled = false;
        while (running) {
            long deadline = firstAt >= 0 ? firstAt + waitMs : idleUntil;
            long wait = collecting.size() >= settings.maxBatch() ? 0
                    : Math.max(0, deadline - System.currentTimeMillis());
            if (polled && wait == 0) {
                break;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(wait))) {
                (collecting.size() < settings.maxBatch() ? collecting : buffered).add(record);
            }
            polled = true;
            if (firstAt < 0 && !collecting.isEmpty()) {
                firstAt = System.currentTimeMillis();
            }
        }
        long lag = buffered.size();
        for (TopicPartition partition : consumer.assignment()) {
            lag += consumer.currentLag(partition).orElse(0);
        }
        metrics.consumerLag(lag);
        List<ConsumerRecord<byte[], byte[]>> batch = List.copyOf(collecting);
        collecting.clear();
        return batch;
    }

    private Work prepare(List<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException {
        List<Item> items = new ArrayList<>(records.size());
        List<FrameInput> frames = new ArrayList<>(records.size());
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            offsets.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
            try {
                Frame frame = Topics.FRAMES.decode(record);
                if (frame == null) {
                    throw new RecordDecodeException(record.topic(), record.partition(), record.offset(), null,
                            "the record has no value", null);
                }
                items.add(new Item(record, frames.size(), null));
                frames.add(new FrameInput(frame, record.partition(), record.offset()));
            } catch (RecordDecodeException e) {
                LOG.warn("{}; sent to {}", e.getMessage(), Topics.DLQ.name());
                items.add(new Item(record, -1, DeadLetters.of(e, record.key(), record.value(), SERVICE)));
            }
        }
        return new Work(items, pipeline.prepare(frames), offsets, null);
    }

    private Work submit(Work work) {
        return new Work(work.items(), work.batch(), work.offsets(),
                inference.submit(() -> pipeline.infer(work.batch())));
    }

    private static void awaitInference(Work work) throws InterruptedException {
        try {
            work.inferred().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the inference thread failed", e.getCause());
        }
    }

    /** Publishes {@code work} (if any) into the open transaction, and commits when asked or when it is due. */
    private void publishOrRewind(Work work, boolean commitNow) {
        try {
            long started = System.nanoTime();
            if (work != null) {
                publish(work);
            }
            if (transactionOpen && (commitNow
                    || System.nanoTime() - transactionStarted >= settings.commitInterval().toNanos())) {
                commit();
            }
            if (work != null) {
                metrics.record(Stage.PRODUCE, System.nanoTime() - started);
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException | FencedInstanceIdException e) {
            throw e; // this producer cannot go on; another instance owns its transactional id, or worse
        } catch (KafkaException e) {
            LOG.warn("A transaction failed ({}); aborting it and reading its frames again", e.toString());
            abortAndRewind();
        }
    }

    private void publish(Work work) {
        List<FrameOutcome> outcomes = pipeline.finish(work.batch());
        if (!transactionOpen) {
            producer.beginTransaction();
            transactionOpen = true;
            transactionStarted = System.nanoTime();
        }
        for (Item item : work.items()) {
            if (item.frameIndex() < 0) {
                producer.send(item.deadLetter());
                metrics.deadLetter(false);
                continue;
            }
            FrameOutcome outcome = outcomes.get(item.frameIndex());
            ConsumerRecord<byte[], byte[]> record = item.record();
            if (outcome.undecodable().isPresent()) {
                LOG.warn("Frame {} of camera {} ({} partition {} offset {}) cannot be decoded: {}; sent to {}",
                        outcome.input().frame().getSeq(), outcome.input().frame().getCameraId(), record.topic(),
                        record.partition(), record.offset(), outcome.undecodable().get(), Topics.DLQ.name());
                producer.send(DeadLetters.of(new RecordDecodeException(record.topic(), record.partition(),
                        record.offset(), fingerprint(record.value()), "image: " + outcome.undecodable().get(), null),
                        record.key(), record.value(), SERVICE));
                metrics.deadLetter(true);
            }
            FrameDetections detections = outcome.detections();
            byte[] key = record.key() != null ? record.key()
                    : detections.getFrame().getCameraId().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(Topics.DETECTIONS.name(), key,
                    serializer.serialize(Topics.DETECTIONS.name(), detections)));
            uncommittedCaptures.add(detections.getFrame().getCaptureTime().toEpochMilli());
        }
        uncommittedOffsets.putAll(work.offsets()); // batches come in poll order: later offsets replace earlier ones
    }

    private void commit() {
        producer.sendOffsetsToTransaction(uncommittedOffsets, consumer.groupMetadata());
        producer.commitTransaction();
        transactionOpen = false;
        long[] captures = uncommittedCaptures.stream().mapToLong(Long::longValue).toArray();
        metrics.published(captures.length, System.currentTimeMillis(), captures);
        uncommittedOffsets.clear();
        uncommittedCaptures.clear();
    }

    /** The writer-schema fingerprint of a single-object-encoded value, for the dead letter's headers. */
    private static Long fingerprint(byte[] value) {
        if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            return null;
        }
        return ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private void abortAndRewind() {
        if (transactionOpen) {
            producer.abortTransaction();
            transactionOpen = false;
        }
        uncommittedOffsets.clear();
        uncommittedCaptures.clear();
        discardInFlight();
        buffered.clear();
        collecting.clear();
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    private void discardInFlight() {
        if (inFlight == null) {
            return;
        }
        Work work = inFlight;
        inFlight = null;
        try {
            awaitInference(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        buffered.removeIf(r -> gone.contains(new TopicPartition(r.topic(), r.partition())));
        collecting.removeIf(r -> gone.contains(new TopicPartition(r.topic(), r.partition())));
    }

    /** Runs inside {@code poll()}, on the worker thread. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Publish what is in flight while this instance still owns its partitions; what was polled but not
            // yet prepared is dropped, and the next owner reads it from the committed offsets.
            if (inFlight != null) {
                Work work = inFlight;
                inFlight = null;
                try {
                    awaitInference(work);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while finishing a batch before a rebalance", e);
                }
                publishOrRewind(work, true);
            } else if (transactionOpen) {
                publishOrRewind(null, true);
            }
            forget(partitions);
            LOG.info("Partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Another instance may own them already: nothing of theirs may be committed from here. Whatever the open
            // transaction held is aborted, and partitions still owned read it again.
            discardInFlight();
            try {
                abortAndRewind();
            } catch (KafkaException e) {
                LOG.warn("Cannot abort the open transaction after losing partitions: {}", e.toString());
                transactionOpen = false;
            }
            forget(partitions);
            LOG.warn("Partitions lost: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("Partitions assigned: {}", partitions);
        }
    }
}
