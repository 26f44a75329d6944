package io.strix.app.bench;

import io.strix.common.kafka.KafkaClients;
import io.strix.schema.FrameDetections;
import io.strix.wire.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts, per camera, the frames the detector detected and skipped, as committed to strix.detections (the
 * detector's own counters are not per camera), and how long after its capture each frame's detections could be read:
 * the detector's share of the end-to-end latency. Reads every partition from the end, outside any group.
 */
final class DetectionTally implements AutoCloseable {
    /** One camera's frames in strix.detections while recording, and their capture → readable latencies. */
    record Counts(long detected, long skipped, LatencySamples latencies) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final Map<String, Counting> byCamera = new HashMap<>();
    private volatile boolean recording;
    private volatile boolean stopping;

    DetectionTally(String bootstrapServers) {
        Map<String, Object> props = KafkaClients.consumer(bootstrapServers, "strix-bench-detections", "unused");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.DETECTIONS.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        reader = new Thread(this::read, "bench-detections");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (recording) {
                        long now = System.currentTimeMillis();
                        FrameDetections detections = Topics.DETECTIONS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value());
                        count(detections.getFrame().getCameraId(), detections.getSkipped() == null,
                                now - detections.getFrame().getCaptureTime().toEpochMilli());
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void count(String cameraId, boolean detected, long latencyMillis) {
        Counting camera = byCamera.computeIfAbsent(cameraId, c -> new Counting());
        if (detected) {
            camera.detected++;
        } else {
            camera.skipped++;
        }
        camera.latencies.add(latencyMillis);
    }

    /** One camera's counts while recording (guarded by the tally's lock). */
    private static final class Counting {
        long detected;
        long skipped;
        final LatencySamples latencies = new LatencySamples();
    }

    synchronized void startRecording() {
        byCamera.clear();
        recording = true;
    }

    /** Stops counting; returns the counts since {@link #startRecording()}. */
    synchronized Map<String, Counts> stopRecording() {
        recording = false;
        Map<String, Counts> counts = new HashMap<>();
        byCamera.forEach((camera, c) -> counts.put(camera, new Counts(c.detected, c.skipped, c.latencies)));
        return counts;
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}
