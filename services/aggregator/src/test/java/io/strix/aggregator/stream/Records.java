package io.strix.aggregator.stream;

import io.strix.schema.Box;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.SkipReason;
import io.strix.schema.Zone;
import java.time.Instant;
import java.util.List;

/** Detector records and rule sets for topology tests. */
public final class Records {
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private Records() {
    }

    public static FrameDetections frame(String cameraId, long seq, long millis, Detection... detections) {
        return new FrameDetections(new FrameRef(cameraId, seq, EPOCH.plusMillis(millis), 0, seq), 1280, 720,
                new ModelRef("test", "1"), null, null, List.of(detections), EPOCH.plusMillis(millis + 5), "test");
    }

    public static FrameDetections skipped(String cameraId, long seq, long millis) {
        return new FrameDetections(new FrameRef(cameraId, seq, EPOCH.plusMillis(millis), 0, seq), 1280, 720,
                new ModelRef("test", "1"), SkipReason.STALE, "late", List.of(), EPOCH.plusMillis(millis + 5), "test");
    }

    /** A person whose box has its bottom centre (where the feet are) at {@code (footX, footY)}. */
    public static Detection personAt(double footX, double footY) {
        double w = 0.06;
        double h = 0.2;
        return new Detection(0, "person", 0.9f,
                new Box((float) (footX - w / 2), (float) (footY - h), (float) w, (float) h));
    }

    /** A zone covering 0.4..0.8 in both axes that alerts on enter. */
    public static RuleSet doorZone(String cameraId) {
        Zone zone = new Zone("door", "Door", List.of(new Point(0.4f, 0.4f), new Point(0.8f, 0.4f),
                new Point(0.8f, 0.8f), new Point(0.4f, 0.8f)), true, false, new RuleFilter(List.of(), 0f, 0f));
        return new RuleSet(cameraId, 1L, List.of(zone), List.of(), List.of(), List.of(), EPOCH);
    }
}
