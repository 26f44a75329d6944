package io.strix.aggregator.track;

import static io.strix.aggregator.track.FrameFixtures.CAMERA;
import static io.strix.aggregator.track.FrameFixtures.detection;
import static io.strix.aggregator.track.FrameFixtures.frame;
import static io.strix.aggregator.track.FrameFixtures.person;
import static io.strix.aggregator.track.FrameFixtures.skipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteTrackerTest {
    private final ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());

    private TrackSnapshot apply(FrameDetections frame) {
        return tracker.update(frame).orElseThrow();
    }

    /** A person walking right at {@code speed} frame widths per second. */
    private static FrameDetections walking(long seq, long millis, double speed) {
        return frame(seq, millis, person(0.1 + speed * millis / 1000.0, 0.4, 0.05, 0.2, 0.9));
    }

    @Test
    void confirmsTrackAfterConfiguredHitsAndOnlyThenGivesItAnId() {
        assertThat(apply(walking(1, 0, 0.1)).getTracks()).isEmpty();
        List<Track> second = apply(walking(2, 100, 0.1)).getTracks();
        assertThat(second).extracting(Track::getTrackId).containsExactly(1L);

        ByteTracker strict = new ByteTracker(CAMERA, TrackerConfig.defaults().withConfirmHits(4));
        for (int i = 0; i < 3; i++) {
            assertThat(strict.update(walking(i, i * 100L, 0.1)).orElseThrow().getTracks()).isEmpty();
        }
        assertThat(strict.update(walking(3, 300, 0.1)).orElseThrow().getTracks()).hasSize(1);
    }

    @Test
    void assignsMonotonicIdsPerCamera() {
        apply(frame(1, 0, person(0.1, 0.1, 0.1, 0.2, 0.9), person(0.6, 0.1, 0.1, 0.2, 0.9)));
        TrackSnapshot snapshot = apply(frame(2, 100, person(0.1, 0.1, 0.1, 0.2, 0.9), person(0.6, 0.1, 0.1, 0.2, 0.9)));
        assertThat(snapshot.getTracks()).extracting(Track::getTrackId).containsExactly(1L, 2L);
        apply(frame(3, 200, person(0.1, 0.1, 0.1, 0.2, 0.9), person(0.6, 0.1, 0.1, 0.2, 0.9),
                person(0.3, 0.6, 0.1, 0.2, 0.9)));
        snapshot = apply(frame(4, 300, person(0.1, 0.1, 0.1, 0.2, 0.9), person(0.6, 0.1, 0.1, 0.2, 0.9),
                person(0.3, 0.6, 0.1, 0.2, 0.9)));
        assertThat(snapshot.getTracks()).extracting(Track::getTrackId).containsExactly(1L, 2L, 3L);
    }

    @Test
    void keepsIdThroughShortOcclusion() {
        long seq = 0;
        for (long t = 0; t <= 1000; t += 100) {
            apply(walking(seq++, t, 0.1));
        }
        // Hidden for 0.8 s: frames arrive without the person; reported while coasting (0.3 s), then not.
        for (long t = 1100; t <= 1800; t += 100) {
            List<Track> tracks = apply(frame(seq++, t)).getTracks();
            if (t <= 1300) {
                assertThat(tracks).extracting(Track::getLastSeenFrameSeq).containsExactly(10L);
            } else {
                assertThat(tracks).isEmpty();
            }
        }
        TrackSnapshot back = apply(walking(seq, 1900, 0.1));
        assertThat(back.getTracks()).extracting(Track::getTrackId).containsExactly(1L);
    }

    @Test
    void dropsLostTrackAfterBufferInSecondsWhateverTheFrameRate() {
        for (long interval : new long[] {33, 250}) {
            ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults().withLostBufferSeconds(1.0));
            long seq = 0;
            long t = 0;
            for (; t <= 1000; t += interval) {
                tracker.update(walking(seq++, t, 0.0));
            }
            long lastSeen = t - interval;
            // Gone for longer than the 1 s buffer, however many frames that is.
            for (t = lastSeen + interval; t <= lastSeen + 1100; t += interval) {
                tracker.update(frame(seq++, t));
            }
            tracker.update(walking(seq++, t, 0.0));
            TrackSnapshot back = tracker.update(walking(seq, t + interval, 0.0)).orElseThrow();
            assertThat(back.getTracks()).as("at %d ms per frame", interval)
                    .extracting(Track::getTrackId).containsExactly(2L);
        }
    }

    @Test
    void reportsAMissedTrackAtItsPredictedBoxForTheCoastingTime() {
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults().withCoastSeconds(0.25));
        long seq = 0;
        for (long t = 0; t <= 1000; t += 100) {
            tracker.update(walking(seq++, t, 0.2));
        }
        Track coasting = tracker.update(frame(seq++, 1200)).orElseThrow().getTracks().get(0);
        assertThat((double) coasting.getBox().getX()).isCloseTo(0.1 + 0.2 * 1.2, offset(0.005));
        assertThat(coasting.getConfidence()).isEqualTo(0.9f);
        assertThat(tracker.update(frame(seq, 1300)).orElseThrow().getTracks()).isEmpty();

        ByteTracker noCoasting = new ByteTracker(CAMERA, TrackerConfig.defaults().withCoastSeconds(0));
        noCoasting.update(walking(0, 0, 0.2));
        noCoasting.update(walking(1, 100, 0.2));
        assertThat(noCoasting.update(frame(2, 200)).orElseThrow().getTracks()).isEmpty();
    }

    @Test
    void findsTrackAgainJustInsideTheBuffer() {
        ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults().withLostBufferSeconds(1.0));
        tracker.update(walking(0, 0, 0.0));
        tracker.update(walking(1, 100, 0.0));
        tracker.update(frame(2, 1000));
        TrackSnapshot back = tracker.update(walking(3, 1100, 0.0)).orElseThrow();
        assertThat(back.getTracks()).extracting(Track::getTrackId).containsExactly(1L);
    }

    @Test
    void doesNotCreateTracksFromLowScoreDetectionsAlone() {
        for (int i = 0; i < 20; i++) {
            TrackSnapshot snapshot = apply(frame(i, i * 100L, person(0.3, 0.3, 0.1, 0.2, 0.4)));
            assertThat(snapshot.getTracks()).isEmpty();
        }
    }

    @Test
    void lowScoreDetectionsKeepAnExistingTrackAlive() {
        long seq = 0;
        for (long t = 0; t < 500; t += 100) {
            apply(walking(seq++, t, 0.1));
        }
        // Partly occluded: the detector still sees the person, with little confidence.
        for (long t = 500; t < 3000; t += 100) {
            TrackSnapshot snapshot = apply(frame(seq++, t, person(0.1 + 0.1 * t / 1000.0, 0.4, 0.05, 0.2, 0.3)));
            assertThat(snapshot.getTracks()).extracting(Track::getTrackId).containsExactly(1L);
            assertThat(snapshot.getTracks().get(0).getConfidence()).isEqualTo(0.3f);
        }
    }

    @Test
    void crossingObjectsKeepTheirIds() {
        // Two people walk towards each other on nearly the same line and pass; their boxes overlap for a while.
        long seq = 0;
        Long leftWalker = null;
        Long rightWalker = null;
        for (long t = 0; t <= 4000; t += 100) {
            double s = t / 1000.0;
            double xA = 0.1 + 0.2 * s;
            double xB = 0.9 - 0.2 * s - 0.06;
            TrackSnapshot snapshot = apply(frame(seq++, t,
                    person(xA, 0.40, 0.06, 0.20, 0.9),
                    person(xB, 0.42, 0.06, 0.20, t > 1500 && t < 2500 ? 0.4 : 0.85)));
            for (Track track : snapshot.getTracks()) {
                double centre = track.getBox().getX() + track.getBox().getW() / 2;
                boolean movingRight = track.getVelocityX() > 0;
                if (t < 1500) {
                    if (movingRight) {
                        leftWalker = track.getTrackId();
                    } else {
                        rightWalker = track.getTrackId();
                    }
                } else if (t > 2500) {
                    assertThat(track.getTrackId()).as("id of the walker at x=%.2f at %d ms", centre, t)
                            .isEqualTo(movingRight ? leftWalker : rightWalker);
                    assertThat(Math.abs(centre - (movingRight ? 0.13 + 0.2 * s : 0.87 - 0.2 * s)))
                            .isLessThan(0.02);
                }
            }
            if (t > 2500) {
                assertThat(snapshot.getTracks()).hasSize(2);
            }
        }
        assertThat(leftWalker).isNotNull().isNotEqualTo(rightWalker);
    }

    @Test
    void ignoresDuplicateAndOlderFrames() {
        apply(walking(5, 500, 0.1));
        TrackSnapshot first = apply(walking(6, 600, 0.1));
        byte[] state = tracker.toBytes();

        assertThat(tracker.update(walking(6, 600, 0.1))).isEmpty();
        assertThat(tracker.update(walking(3, 300, 0.1))).isEmpty();
        assertThat(tracker.toBytes()).isEqualTo(state);
        assertThat(tracker.lastFrameSeq()).contains(6L);

        TrackSnapshot next = apply(walking(7, 700, 0.1));
        assertThat(next.getTracks()).extracting(Track::getTrackId)
                .containsExactlyElementsOf(first.getTracks().stream().map(Track::getTrackId).toList());
    }

    @Test
    void skippedFramesAdvanceTimeWithoutUpdates() {
        long seq = 0;
        for (long t = 0; t <= 1000; t += 100) {
            apply(walking(seq++, t, 0.2));
        }
        long lastMatched = seq - 1;
        double xBefore = apply(skipped(seq++, 1100)).getTracks().get(0).getBox().getX();
        TrackSnapshot during = apply(skipped(seq++, 1300));
        assertThat(during.getTracks()).hasSize(1);
        Track coasting = during.getTracks().get(0);
        assertThat(coasting.getLastSeenFrameSeq()).isEqualTo(lastMatched);
        assertThat(coasting.getBox().getX()).as("predicted forward").isGreaterThan((float) xBefore);
        assertThat((double) coasting.getBox().getX()).isCloseTo(0.1 + 0.2 * 1.3, offset(0.01));

        TrackSnapshot after = apply(walking(seq, 1400, 0.2));
        assertThat(after.getTracks()).extracting(Track::getTrackId).containsExactly(1L);
        assertThat(after.getTracks().get(0).getLastSeenFrameSeq()).isEqualTo(seq);
    }

    @Test
    void skippedFramesLongerThanTheBufferEndTracks() {
        apply(walking(0, 0, 0.1));
        apply(walking(1, 100, 0.1));
        assertThat(apply(skipped(2, 1500)).getTracks()).hasSize(1);
        assertThat(apply(skipped(3, 2200)).getTracks()).isEmpty();
    }

    @Test
    void reportsVelocityInFrameUnitsPerSecondAtAnyFrameRate() {
        for (long interval : new long[] {40, 200}) {
            ByteTracker tracker = new ByteTracker(CAMERA, TrackerConfig.defaults());
            TrackSnapshot last = null;
            long seq = 0;
            for (long t = 0; t <= 3000; t += interval) {
                last = tracker.update(frame(seq++, t,
                        person(0.1 + 0.15 * t / 1000.0, 0.5 - 0.05 * t / 1000.0, 0.08, 0.2, 0.9))).orElseThrow();
            }
            Track track = last.getTracks().get(0);
            assertThat((double) track.getVelocityX()).as("vx at %d ms per frame", interval).isCloseTo(0.15, offset(0.01));
            assertThat((double) track.getVelocityY()).as("vy at %d ms per frame", interval).isCloseTo(-0.05, offset(0.01));
        }
    }

    @Test
    void votesTheClassOverTheTrackLifeWeightedByScore() {
        long seq = 0;
        for (int i = 0; i < 6; i++) {
            apply(frame(seq++, i * 100L, detection(0, "person", 0.3, 0.3, 0.1, 0.2, 0.8)));
        }
        // One confident misclassification does not outvote six frames of person.
        TrackSnapshot snapshot = apply(frame(seq++, 600, detection(2, "car", 0.3, 0.3, 0.1, 0.2, 0.95)));
        assertThat(snapshot.getTracks().get(0).getClassName()).isEqualTo("person");
        assertThat(snapshot.getTracks().get(0).getClassId()).isZero();
        for (int i = 7; i < 14; i++) {
            snapshot = apply(frame(seq++, i * 100L, detection(2, "car", 0.3, 0.3, 0.1, 0.2, 0.95)));
        }
        assertThat(snapshot.getTracks().get(0).getClassName()).isEqualTo("car");
    }

    @Test
    void oneObjectScoredAsTwoClassesMakesOneTrackWhenCrossClassDuplicatesAreDropped() {
        // A parked car the detector reports as a car (0.8) and, nearly the same box, as a truck (0.7): per-class NMS
        // keeps both. A person overlapping the car's box by less (IoU 0.22) is another object and keeps its track.
        ByteTracker merging = new ByteTracker(CAMERA, TrackerConfig.defaults().withCrossClassIou(0.7));
        ByteTracker keeping = new ByteTracker(CAMERA, TrackerConfig.defaults());
        TrackSnapshot merged = null;
        TrackSnapshot kept = null;
        for (int i = 0; i < 3; i++) {
            FrameDetections frame = frame(i, i * 200L, detection(7, "truck", 0.401, 0.5, 0.2, 0.1, 0.7),
                    detection(2, "car", 0.4, 0.5, 0.2, 0.1, 0.8), person(0.5, 0.45, 0.05, 0.15, 0.8));
            merged = merging.update(frame).orElseThrow();
            kept = keeping.update(frame).orElseThrow();
        }
        assertThat(merged.getTracks()).extracting(Track::getClassName).containsExactlyInAnyOrder("car", "person");
        assertThat(kept.getTracks()).extracting(Track::getClassName)
                .containsExactlyInAnyOrder("car", "truck", "person");
    }

    @Test
    void aDroppedDuplicateDropsNothingElseAndTheOrderIsKept() {
        DetectionBox car = DetectionBox.of(detection(2, "car", 0.40, 0.5, 0.2, 0.1, 0.9));
        DetectionBox truck = DetectionBox.of(detection(7, "truck", 0.43, 0.5, 0.2, 0.1, 0.6)); // IoU 0.74
        // overlaps the truck (dropped) by 0.74 but the car by 0.54: kept
        DetectionBox bus = DetectionBox.of(detection(5, "bus", 0.46, 0.5, 0.2, 0.1, 0.4));
        DetectionBox otherCar = DetectionBox.of(detection(2, "car", 0.401, 0.5, 0.2, 0.1, 0.5)); // same class: kept
        assertThat(ByteTracker.withoutCrossClassDuplicates(List.of(bus, truck, otherCar, car), 0.7))
                .containsExactly(bus, otherCar, car);
        assertThat(ByteTracker.withoutCrossClassDuplicates(List.of(bus, truck, otherCar, car), 1.0))
                .containsExactly(bus, truck, otherCar, car);
    }

    @Test
    void reportsAgeLineageAndBox() {
        apply(walking(10, 1000, 0.0));
        TrackSnapshot snapshot = apply(walking(11, 1250, 0.0));
        Track track = snapshot.getTracks().get(0);
        assertThat(track.getAgeMs()).isEqualTo(250);
        assertThat(track.getLastSeenFrameSeq()).isEqualTo(11);
        assertThat((double) track.getBox().getX()).isCloseTo(0.1, offset(1e-4));
        assertThat((double) track.getBox().getH()).isCloseTo(0.2, offset(1e-4));
        assertThat(snapshot.getFrame().getFrameSeq()).isEqualTo(11);
        assertThat(snapshot.getProducedAt()).isEqualTo(snapshot.getFrame().getCaptureTime());
    }

    @Test
    void ignoresDetectionsWithEmptyOrNonFiniteBoxes() {
        for (int i = 0; i < 3; i++) {
            TrackSnapshot snapshot = apply(frame(i, i * 100L, person(0.3, 0.3, 0, 0.2, 0.9),
                    person(Double.NaN, 0.3, 0.1, 0.2, 0.9), person(0.3, 0.3, 0.1, 0.2, Double.NaN)));
            assertThat(snapshot.getTracks()).isEmpty();
        }
    }

    @Test
    void rejectsFramesOfAnotherCamera() {
        FrameDetections other = new FrameDetections(new FrameRef("cam-2", 1L, FrameFixtures.EPOCH, 0, 0L), 10, 10,
                new ModelRef("m", "1"), null, null, List.of(), FrameFixtures.EPOCH, "");
        assertThatThrownBy(() -> tracker.update(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cam-2");
    }

    @Test
    void neverRunsBackwardsWhenCaptureTimeStepsBack() {
        apply(walking(0, 1000, 0.1));
        apply(walking(1, 1100, 0.1));
        Optional<TrackSnapshot> snapshot = tracker.update(frame(2, 900, person(0.21, 0.4, 0.05, 0.2, 0.9)));
        assertThat(snapshot).isPresent();
        assertThat(snapshot.get().getTracks()).extracting(Track::getTrackId).containsExactly(1L);
    }
}
