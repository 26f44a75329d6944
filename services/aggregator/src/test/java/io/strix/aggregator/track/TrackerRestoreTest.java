package io.strix.aggregator.track;

import static io.strix.aggregator.track.FrameFixtures.CAMERA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.schema.FrameDetections;
import io.strix.schema.TrackSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerRestoreTest {
    private final SyntheticScene scene = SyntheticScene.randomWalkers(11, 12, 30_000, SyntheticScene.Noise.realistic());

    private static List<TrackSnapshot> runStraight(List<FrameDetections> frames) {
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());
        List<TrackSnapshot> out = new ArrayList<>();
        frames.forEach(frame -> tracker.update(frame).ifPresent(out::add));
        return out;
    }

    @Test
    void trackerRestoredMidSequenceProducesExactlyTheSameSnapshots() {
        List<TrackSnapshot> expected = runStraight(scene.frames);
        assertThat(expected.stream().mapToInt(s -> s.getTracks().size()).sum()).as("the scene has tracks").isPositive();
        for (int cut : new int[] {1, 7, 60, 150, scene.frames.size() - 1}) {
            ByteTracker before = new ByteTracker(CAMERA, TrackerConfig.defaults());
            List<TrackSnapshot> out = new ArrayList<>();
            for (FrameDetections frame : scene.frames.subList(0, cut)) {
                before.update(frame).ifPresent(out::add);
            }
            ByteTracker after = ByteTracker.fromBytes(before.toBytes(), TrackerConfig.defaults());
            for (FrameDetections frame : scene.frames.subList(cut, scene.frames.size())) {
                after.update(frame).ifPresent(out::add);
            }
            assertThat(out).as("restored after frame %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void trackerRestoredAfterEveryFrameProducesExactlyTheSameSnapshots() {
        List<TrackSnapshot> expected = runStraight(scene.frames);
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());
        List<TrackSnapshot> out = new ArrayList<>();
        for (FrameDetections frame : scene.frames) {
            tracker = ByteTracker.fromBytes(tracker.toBytes(), TrackerConfig.defaults());
            tracker.update(frame).ifPresent(out::add);
        }
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void restoredTrackerIgnoresFramesItAlreadyApplied() {
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());
        scene.frames.subList(0, 40).forEach(tracker::update);
        ByteTracker restored = ByteTracker.fromBytes(tracker.toBytes(), TrackerConfig.defaults());
        // A restart replays records after the last committed offset; some were already applied.
        for (FrameDetections frame : scene.frames.subList(30, 40)) {
            assertThat(restored.update(frame)).isEmpty();
        }
        assertThat(restored.toBytes()).isEqualTo(tracker.toBytes());
    }

    @Test
    void stateRoundTripsToIdenticalBytes() {
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());
        scene.frames.subList(0, 100).forEach(tracker::update);
        byte[] bytes = tracker.toBytes();
        assertThat(ByteTracker.fromBytes(bytes, TrackerConfig.defaults()).toBytes()).isEqualTo(bytes);
        assertThat(bytes[0]).isEqualTo(TrackerStateCodec.VERSION);
    }

    @Test
    void rejectsStateOfUnknownVersionOrTruncated() {
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());
        scene.frames.subList(0, 20).forEach(tracker::update);
        byte[] bytes = tracker.toBytes();
        byte[] future = bytes.clone();
        future[0] = 99;
        assertThatThrownBy(() -> ByteTracker.fromBytes(future, TrackerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 99");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> ByteTracker.fromBytes(truncated, TrackerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }
}
