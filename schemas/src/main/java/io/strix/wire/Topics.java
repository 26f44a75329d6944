package io.strix.wire;

import io.strix.schema.Alert;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraStatus;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.RuleSet;
import io.strix.schema.TrackSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/** Every Strix topic, declared once: name, serdes, retention, compaction and size limits. */
public final class Topics {
    /** The largest frame (JPEG plus its record) a camera may publish. */
    public static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    /** Room for the Avro fields, headers and batch framing around the largest frame. */
    public static final int MAX_RECORD_BYTES = MAX_FRAME_BYTES + 64 * 1024;

    private static final SchemaHistory HISTORY = SchemaHistory.bundled();

    public static final Topic<CameraConfig> CAMERAS = new Topic<>("strix.cameras",
            serde(CameraConfig.getClassSchema()), "camera registry, the source of truth", compacted());
    public static final Topic<CameraStatus> CAMERA_STATUS = new Topic<>("strix.camera-status",
            serde(CameraStatus.getClassSchema()), "latest state of each camera's ingest worker", compacted());
    public static final Topic<Frame> FRAMES = new Topic<>("strix.frames",
            serde(Frame.getClassSchema()), "sampled frames as JPEG with capture time",
            Map.of("cleanup.policy", "delete",
                    "retention.ms", millis(Duration.ofHours(1)),
                    "retention.bytes", Long.toString(2L * 1024 * 1024 * 1024),
                    "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)));
    public static final Topic<FrameDetections> DETECTIONS = new Topic<>("strix.detections",
            serde(FrameDetections.getClassSchema()), "one record per frame: boxes, or why it was skipped",
            retained(Duration.ofDays(7)));
    public static final Topic<TrackSnapshot> TRACKS = new Topic<>("strix.tracks",
            serde(TrackSnapshot.getClassSchema()), "the camera's confirmed tracks after each frame",
            retained(Duration.ofDays(3)));
    public static final Topic<Alert> ALERTS = new Topic<>("strix.alerts",
            serde(Alert.getClassSchema()), "incident lifecycle: STARTED, UPDATED, ENDED",
            retained(Duration.ofDays(30)));
    public static final Topic<RuleSet> RULES = new Topic<>("strix.rules",
            serde(RuleSet.getClassSchema()), "zones, lines, dwell and count rules per camera", compacted());
    public static final Topic<byte[]> DLQ = new Topic<>("strix.dlq",
            Serdes.ByteArray(),
            "records that could not be processed: original bytes (the first 4 MiB of a longer one), reason in headers",
            Map.of("cleanup.policy", "delete",
                    "retention.ms", millis(Duration.ofDays(14)),
                    "max.message.bytes", Integer.toString(MAX_RECORD_BYTES)));

    public static final List<Topic<?>> ALL =
            List.of(CAMERAS, CAMERA_STATUS, FRAMES, DETECTIONS, TRACKS, ALERTS, RULES, DLQ);

    private Topics() {
    }

    /** The topic table of the README, rendered from the declarations. */
    public static String markdownTable() {
        StringBuilder s = new StringBuilder("| topic | value | cleanup | retention | max record | what |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Topic<?> t : ALL) {
            String value = t.valueSerde() instanceof AvroSerde<?> avro ? "`" + avro.schema().getName() + "`"
                    : "original bytes";
            String retention = t.compacted() ? "latest per camera, kept"
                    : readable(Duration.ofMillis(Long.parseLong(t.configs().get("retention.ms"))));
            String maxRecord = t.configs().containsKey("max.message.bytes")
                    ? Integer.parseInt(t.configs().get("max.message.bytes")) / 1024 + " KiB" : "broker default";
            s.append("| `").append(t.name()).append("` | ").append(value).append(" | ")
                    .append(t.configs().get("cleanup.policy")).append(" | ").append(retention).append(" | ")
                    .append(maxRecord).append(" | ").append(t.description()).append(" |\n");
        }
        return s.toString();
    }

    private static String readable(Duration d) {
        return d.toDays() > 0 && d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toHours() + " h";
    }

    private static <T extends SpecificRecord> AvroSerde<T> serde(Schema schema) {
        return new AvroSerde<>(schema, HISTORY);
    }

    private static Map<String, String> compacted() {
        return Map.of("cleanup.policy", "compact");
    }

    private static Map<String, String> retained(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", millis(retention));
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
