package io.strix.ingest.registry;

import io.strix.schema.CameraConfig;
import io.strix.schema.CameraStatus;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every camera in the registry and its latest status, read from the compacted topics strix.cameras and
 * strix.camera-status from the beginning and followed live. This is the REST API's view: it covers all cameras,
 * not only those this instance ingests.
 */
public final class CameraDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraDirectory.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Map<String, CameraConfig> cameras = new ConcurrentHashMap<>();
    private final Map<String, CameraStatus> statuses = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    /** @param consumer a consumer of its own; assigned every partition of both topics */
    public CameraDirectory(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::run, "camera-directory");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Waits until the directory has read everything that was in the topics when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<CameraConfig> cameras() {
        List<CameraConfig> list = new ArrayList<>(cameras.values());
        list.sort(java.util.Comparator.comparing(CameraConfig::getCameraId));
        return list;
    }

    public Optional<CameraConfig> camera(String id) {
        return Optional.ofNullable(cameras.get(id));
    }

    public Optional<CameraStatus> status(String id) {
        return Optional.ofNullable(statuses.get(id));
    }

    /** Records a write this instance made, so its API reads its own writes before they come back from Kafka. */
    public void written(String id, CameraConfig camera) {
        if (camera == null) {
            cameras.remove(id);
        } else {
            cameras.put(id, camera);
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.CAMERAS.name(), Topics.CAMERA_STATUS.name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Camera directory stopped", e);
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String id = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (id == null) {
            return;
        }
        try {
            if (record.topic().equals(Topics.CAMERAS.name())) {
                written(id, Topics.CAMERAS.decode(record));
            } else if (record.value() == null) {
                statuses.remove(id);
            } else {
                statuses.put(id, Topics.CAMERA_STATUS.decode(record));
            }
        } catch (RecordDecodeException e) {
            // The owner of the camera (CameraAssignment) sends it to the DLQ; here it is only skipped.
            LOG.warn("Skipping record: {}", e.getMessage());
        }
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
        consumer.close();
    }
}
