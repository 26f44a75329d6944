package io.strix.wire;

import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.Box;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraState;
import io.strix.schema.CameraStatus;
import io.strix.schema.CrossingDirection;
import io.strix.schema.Detection;
import io.strix.schema.Frame;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.Line;
import io.strix.schema.ModelRef;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.RuleType;
import io.strix.schema.SkipReason;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic record for every Strix topic, for round-trip tests. */
public final class SampleRecords {
    public static final Instant T0 = Instant.parse("2026-11-27T12:00:00.123Z");

    private SampleRecords() {
    }

    public static FrameRef frameRef(long seq) {
        return FrameRef.newBuilder().setCameraId("cam-1").setFrameSeq(seq).setCaptureTime(T0.plusMillis(seq * 200))
                .setPartition(3).setOffset(1000 + seq).build();
    }

    public static CameraConfig camera() {
        return CameraConfig.newBuilder().setCameraId("cam-1").setName("Main St").setUrl("rtsp://user:pw@10.0.0.5/stream1")
                .setTargetFps(5f).setOptions(Map.of("stimeout", "5000000")).setUpdatedAt(T0).build();
    }

    public static CameraStatus status() {
        return CameraStatus.newBuilder().setCameraId("cam-1").setState(CameraState.STREAMING)
                .setUrl("rtsp://user:***@10.0.0.5/stream1").setInstanceId("ingest-a").setSince(T0).setFps(4.9f)
                .setLastFrameSeq(42L).setLastFrameTime(T0).setUpdatedAt(T0).build();
    }

    public static Frame frame() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
        return Frame.newBuilder().setCameraId("cam-1").setSeq(42).setCaptureTime(T0).setStreamPtsMicros(8_400_000L)
                .setWidth(640).setHeight(360).setJpeg(ByteBuffer.wrap(jpeg)).setIngestInstance("ingest-a").build();
    }

    public static FrameDetections detections() {
        return FrameDetections.newBuilder().setFrame(frameRef(42)).setWidth(640).setHeight(360)
                .setModel(ModelRef.newBuilder().setName("mobilevit-yolo-xxs").setVersion("1").build())
                .setDetections(List.of(Detection.newBuilder().setClassId(0).setClassName("person").setConfidence(0.91f)
                        .setBox(box(0.1f, 0.2f, 0.05f, 0.2f)).build()))
                .setDetectedAt(T0.plusMillis(80)).setDetectorInstance("detector-a").build();
    }

    public static FrameDetections skipped() {
        return FrameDetections.newBuilder(detections()).setSkipped(SkipReason.STALE)
                .setSkipDetail("frame 2300 ms old, budget 1000 ms").setDetections(List.of()).build();
    }

    public static TrackSnapshot tracks() {
        return TrackSnapshot.newBuilder().setFrame(frameRef(42))
                .setTracks(List.of(Track.newBuilder().setTrackId(7).setClassId(2).setClassName("car").setConfidence(0.8f)
                        .setBox(box(0.5f, 0.5f, 0.2f, 0.1f)).setVelocityX(0.05f).setVelocityY(0f).setAgeMs(4000)
                        .setLastSeenFrameSeq(42).build()))
                .setProducedAt(T0).build();
    }

    public static Alert alert() {
        return Alert.newBuilder().setIncidentId("cam-1/zone-door/17").setPhase(AlertPhase.STARTED).setCameraId("cam-1")
                .setRuleId("zone-door").setRuleType(RuleType.LOITERING).setClassNames(List.of("person"))
                .setTrackIds(List.of(7L, 9L)).setFirstFrame(frameRef(30)).setLastFrame(frameRef(42))
                .setMessage("2 persons loitering at the door for 30 s").setEmittedAt(T0).build();
    }

    public static RuleSet rules() {
        RuleFilter people = RuleFilter.newBuilder().setClasses(List.of("person")).setMinConfidence(0.5f).build();
        return RuleSet.newBuilder().setCameraId("cam-1").setVersion(3)
                .setZones(List.of(Zone.newBuilder().setId("zone-door").setName("Door")
                        .setPolygon(List.of(point(0.1f, 0.1f), point(0.4f, 0.1f), point(0.4f, 0.5f)))
                        .setFilter(people).build()))
                .setLines(List.of(Line.newBuilder().setId("line-gate").setA(point(0f, 0.6f)).setB(point(1f, 0.6f))
                        .setDirection(CrossingDirection.LEFT_TO_RIGHT)
                        .setFilter(RuleFilter.newBuilder().build()).build()))
                .setUpdatedAt(T0).build();
    }

    /** A sample value for each Avro topic. */
    public static Map<Topic<?>, Object> byTopic() {
        return Map.of(Topics.CAMERAS, camera(), Topics.CAMERA_STATUS, status(), Topics.FRAMES, frame(),
                Topics.DETECTIONS, detections(), Topics.TRACKS, tracks(), Topics.ALERTS, alert(),
                Topics.RULES, rules());
    }

    private static Box box(float x, float y, float w, float h) {
        return Box.newBuilder().setX(x).setY(y).setW(w).setH(h).build();
    }

    private static Point point(float x, float y) {
        return Point.newBuilder().setX(x).setY(y).build();
    }
}
