package io.strix.aggregator.track;

import io.strix.schema.Box;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.SkipReason;
import java.time.Instant;
import java.util.List;

/** Builds detector records for tracker tests. */
final class FrameFixtures {
    static final String CAMERA = "cam-1";
    static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private FrameFixtures() {
    }

    static FrameRef ref(long seq, long millis) {
        return new FrameRef(CAMERA, seq, EPOCH.plusMillis(millis), 0, seq);
    }

    static FrameDetections frame(long seq, long millis, Detection... detections) {
        return frame(seq, millis, List.of(detections));
    }

    static FrameDetections frame(long seq, long millis, List<Detection> detections) {
        return new FrameDetections(ref(seq, millis), 1280, 720, new ModelRef("test", "1"), null, null,
                List.copyOf(detections), EPOCH.plusMillis(millis + 5), "test");
    }

    static FrameDetections skipped(long seq, long millis) {
        return new FrameDetections(ref(seq, millis), 1280, 720, new ModelRef("test", "1"), SkipReason.STALE,
                "late", List.of(), EPOCH.plusMillis(millis + 5), "test");
    }

    static Detection person(double x, double y, double w, double h, double score) {
        return detection(0, "person", x, y, w, h, score);
    }

    static Detection detection(int classId, String className, double x, double y, double w, double h, double score) {
        return new Detection(classId, className, (float) score, new Box((float) x, (float) y, (float) w, (float) h));
    }
}
