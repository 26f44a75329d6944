package io.strix.aggregator.stream;

import io.strix.aggregator.track.ByteTracker;
import io.strix.aggregator.track.TrackerConfig;
import io.strix.schema.FrameDetections;
import io.strix.schema.TrackSnapshot;
import io.strix.wire.RecordDecodeException;
import io.strix.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decodes each camera's detections and runs them through the camera's {@link ByteTracker}, whose state is read
 * from and written back to the {@link AggregatorTopology#TRACKER_STORE} on every frame: the store (restored from
 * its changelog after a crash) is the only place the tracker lives, so a restart resumes the same track ids. A
 * duplicate or older frame changes nothing and emits nothing.
 */
final class TrackingProcessor implements Processor<byte[], byte[], Object, Object> {
    private final TrackerConfig config;
    private final AggregatorTopology.Listener listener;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> trackers;
    private KeyValueStore<String, TrackSnapshot> latest;

    TrackingProcessor(TrackerConfig config, AggregatorTopology.Listener listener) {
        this.config = config;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.trackers = context.getStateStore(AggregatorTopology.TRACKER_STORE);
        this.latest = context.getStateStore(AggregatorTopology.LATEST_TRACKS_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        FrameDetections detections;
        try {
            detections = Topics.DETECTIONS.valueSerde().deserializer().deserialize(source.topic(), record.value());
        } catch (RecordDecodeException e) {
            deadLetter(record, DeadLetterRecords.of(record, source, e), e.reason());
            return;
        }
        if (detections == null) {
            deadLetter(record, source, "no value: strix.detections records carry one frame's detections");
            return;
        }
        String cameraId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String frameCamera = detections.getFrame().getCameraId();
        if (!frameCamera.equals(cameraId)) {
            // A record on another camera's partition would split that camera's state between tasks.
            deadLetter(record, source, "key " + (cameraId == null ? "missing" : "'" + cameraId + "'")
                    + " differs from frame.cameraId '" + frameCamera + "'; records are keyed by camera id");
            return;
        }
        byte[] state = trackers.get(cameraId);
        ByteTracker tracker = state == null ? new ByteTracker(cameraId, config) : ByteTracker.fromBytes(state, config);
        Optional<TrackSnapshot> snapshot = tracker.update(detections);
        if (snapshot.isEmpty()) {
            return;
        }
        trackers.put(cameraId, tracker.toBytes());
        latest.put(cameraId, snapshot.get());
        Record<Object, Object> out = new Record<>(cameraId, snapshot.get(), record.timestamp());
        context.forward(out, AggregatorTopology.TRACKS_SINK);
        context.forward(out, AggregatorTopology.ALERTING);
        listener.snapshot(cameraId, detections.getFrame().getCaptureTime().toEpochMilli(),
                snapshot.get().getTracks().size());
    }

    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason) {
        deadLetter(record, DeadLetterRecords.of(record, source, reason), reason);
    }

    private void deadLetter(Record<byte[], byte[]> record, Record<Object, Object> letter, String reason) {
        context.forward(letter, AggregatorTopology.DLQ_SINK);
        listener.deadLetter(Topics.DETECTIONS.name(), reason);
    }
}
