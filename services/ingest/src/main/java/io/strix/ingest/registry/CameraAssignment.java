package io.strix.ingest.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.wire.DeadLetters;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which cameras this instance ingests: the instances of one consumer group split the partitions of
 * strix.cameras between them, and each ingests the cameras on its partitions. When an instance joins or leaves, the
 * group rebalances: revoked cameras are stopped (and their frames flushed) before the partition moves, so no camera
 * is ingested by two instances at once.
 */
public final class CameraAssignment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraAssignment.class);

    /** Starts and stops the workers of the cameras this instance owns. */
    public interface Workers {
        /** Starts (or restarts with a new config) the camera's worker. */
        void start(CameraConfig camera);

        /** Stops the camera's worker, if it has one, and waits until its frames are flushed. */
        void stop(String cameraId);

        /** Tells the camera cannot run, without starting anything. */
        void fail(CameraStatus status);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> dlqProducer;
    private final Workers workers;
    private final String instanceId;
    private final Map<String, TopicPartition> owned = new ConcurrentHashMap<>();
    private final Map<String, CameraConfig> running = new ConcurrentHashMap<>();
    private final Thread thread;
    private final Counter deadLetters;
    private final Counter deadLettersFailed;
    private volatile boolean stopping;

    /**
     * @param consumer a consumer in the ingest group, used by this object only
     * @param registry where the dead-letter counters go ({@code strix_ingest_dead_letters_total}, and
     *                 {@code strix_ingest_dead_letters_failed_total} for letters that could not be written)
     */
    public CameraAssignment(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> dlqProducer, Workers workers,
                            String instanceId, MeterRegistry registry) {
        this.consumer = consumer;
        this.dlqProducer = dlqProducer;
        this.workers = workers;
        this.instanceId = instanceId;
        this.deadLetters = Counter.builder("strix.ingest.dead.letters").tag("topic", Topics.CAMERAS.name())
                .description("Camera records sent to strix.dlq").register(registry);
        this.deadLettersFailed = Counter.builder("strix.ingest.dead.letters.failed").tag("topic", Topics.CAMERAS.name())
                .description("Camera records that could not be written to strix.dlq (logged with their offsets)")
                .register(registry);
        this.thread = new Thread(this::run, "camera-assignment");
    }

    public void start() {
        thread.start();
    }

    /** The cameras this instance ingests now. */
    public Set<String> ownedCameras() {
        return Set.copyOf(running.keySet());
    }

    private void run() {
        consumer.subscribe(List.of(Topics.CAMERAS.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                stopCamerasOn(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                stopCamerasOn(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // The registry is compacted: read each new partition whole to learn its cameras.
                consumer.seekToBeginning(partitions);
                LOG.info("Ingest {} now owns strix.cameras partitions {}", instanceId,
                        partitions.stream().map(TopicPartition::partition).sorted().toList());
            }
        });
        try {
            while (!stopping) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            stopCamerasOn(List.copyOf(new java.util.HashSet<>(owned.values())));
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return; // a compacted topic's broker refuses records without a key
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        CameraConfig camera;
        try {
            camera = Topics.CAMERAS.decode(record);
        } catch (RecordDecodeException e) {
            deadLetter(record, e);
            return;
        }
        if (camera != null && !id.equals(camera.getCameraId())) {
            // Its worker could not be found by key again, to stop or replace it.
            deadLetter(record, "key '" + id + "' differs from cameraId '" + camera.getCameraId()
                    + "'; strix.cameras records are keyed by camera id");
            return;
        }
        if (camera == null || !camera.getEnabled()) {
            if (running.remove(id) != null) {
                workers.stop(id);
            }
            owned.remove(id);
            return;
        }
        owned.put(id, tp);
        CameraConfig current = running.get(id);
        if (current != null && sameSource(current, camera)) {
            return;
        }
        List<CameraValidation.Problem> problems = CameraValidation.check(camera);
        if (!problems.isEmpty()) {
            running.remove(id);
            workers.stop(id);
            workers.fail(failed(camera, "invalid camera: " + String.join("; ",
                    problems.stream().map(Object::toString).toList())));
            return;
        }
        running.put(id, camera);
        workers.start(camera);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetter(record, new RecordDecodeException(record.topic(), record.partition(), record.offset(), null, reason,
                null));
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, RecordDecodeException error) {
        LOG.warn("{}; sent to {}", error.getMessage(), Topics.DLQ.name());
        dlqProducer.send(DeadLetters.of(error, record.key(), record.value(), "ingest"), (metadata, failure) -> {
            if (failure == null) {
                deadLetters.increment();
            } else {
                deadLettersFailed.increment();
                // The record itself stays in strix.cameras (until a newer one for its key replaces it).
                LOG.error("Could not dead-letter {}-{}@{} to {}: {}", record.topic(), record.partition(),
                        record.offset(), Topics.DLQ.name(), failure.toString());
            }
        });
    }

    /** Everything but the timestamp: a re-seed with the same settings does not restart the stream. */
    private static boolean sameSource(CameraConfig a, CameraConfig b) {
        return CameraConfig.newBuilder(a).setUpdatedAt(Instant.EPOCH).build()
                .equals(CameraConfig.newBuilder(b).setUpdatedAt(Instant.EPOCH).build());
    }

    private CameraStatus failed(CameraConfig camera, String error) {
        return CameraStatus.newBuilder().setCameraId(camera.getCameraId()).setState(CameraState.FAILED)
                .setUrl(io.strix.common.redact.Redact.url(camera.getUrl())).setError(error).setInstanceId(instanceId)
                .setSince(Instant.now()).setUpdatedAt(Instant.now()).build();
    }

    private void stopCamerasOn(Collection<TopicPartition> partitions) {
        List<String> ids = owned.entrySet().stream().filter(e -> partitions.contains(e.getValue()))
                .map(Map.Entry::getKey).toList();
        // Stop in parallel: each stop may wait for a read timeout.
        ids.parallelStream().forEach(id -> {
            if (running.remove(id) != null) {
                workers.stop(id);
            }
        });
        ids.forEach(owned::remove);
        if (!ids.isEmpty()) {
            LOG.info("Ingest {} released cameras {}", instanceId, ids);
        }
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
