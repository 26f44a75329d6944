package io.strix.aggregator.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.strix.aggregator.track.MotMetrics.LabelledBox;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MotMetricsTest {
    private static LabelledBox a(long id) {
        return new LabelledBox(id, 0.1, 0.1, 0.1, 0.2);
    }

    private static LabelledBox b(long id) {
        return new LabelledBox(id, 0.6, 0.1, 0.1, 0.2);
    }

    @Test
    void countsMissesFalsePositivesAndIdSwitches() {
        MotMetrics metrics = new MotMetrics(0.5);
        metrics.addFrame(List.of(a(100), b(200)), List.of(a(1), b(2)));
        metrics.addFrame(List.of(a(100), b(200)), List.of(a(1), b(2)));
        // Object A changes hypothesis id (a switch); a box where nothing is (a false positive).
        metrics.addFrame(List.of(a(100), b(200)), List.of(a(3), b(2), new LabelledBox(9, 0.5, 0.8, 0.1, 0.1)));
        // A is missed.
        metrics.addFrame(List.of(a(100)), List.of());
        MotMetrics.Summary summary = metrics.summary();
        assertThat(summary.groundTruth()).isEqualTo(7);
        assertThat(summary.matches()).isEqualTo(6);
        assertThat(summary.misses()).isEqualTo(1);
        assertThat(summary.falsePositives()).isEqualTo(1);
        assertThat(summary.idSwitches()).isEqualTo(1);
        assertThat(summary.mota()).isCloseTo(1 - 3.0 / 7, offset(1e-9));
        // Best identity pairing: A-1 for 2 frames, B-2 for 3: IDF1 = 2 * 5 / (7 + 7).
        assertThat(summary.idf1()).isCloseTo(10.0 / 14, offset(1e-9));
        // A was matched in 3 of its 4 frames: under the 80 % that counts as mostly tracked.
        assertThat(summary.mostlyTracked()).isEqualTo(1);
        // The one false positive is hypothesis 9's; the others matched every frame they were in.
        assertThat(metrics.falsePositivesByHypothesis()).isEqualTo(Map.of(9L, 1L));
    }

    @Test
    void saysWhichHypothesesTheFalsePositivesWere() {
        MotMetrics metrics = new MotMetrics(0.5);
        LabelledBox stray = new LabelledBox(7, 0.5, 0.8, 0.1, 0.1);
        metrics.addFrame(List.of(a(100)), List.of(a(1), stray));
        // Hypothesis 1 loses object A to nothing (A leaves) and becomes a false positive too; 7 stays one.
        metrics.addFrame(List.of(), List.of(a(1), stray));
        metrics.addFrame(List.of(b(200)), List.of(b(2), stray));
        assertThat(metrics.falsePositivesByHypothesis()).isEqualTo(Map.of(1L, 1L, 7L, 3L));
        assertThat(metrics.falsePositivesByHypothesis().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(metrics.summary().falsePositives());
    }

    @Test
    void keepsAnOngoingCorrespondenceEvenIfAnotherHypothesisFitsBetter() {
        MotMetrics metrics = new MotMetrics(0.5);
        metrics.addFrame(List.of(a(100)), List.of(new LabelledBox(1, 0.11, 0.1, 0.1, 0.2)));
        // Hypothesis 2 now fits better, but 1 still overlaps enough: CLEAR MOT keeps 1, no switch.
        metrics.addFrame(List.of(a(100)), List.of(new LabelledBox(1, 0.12, 0.1, 0.1, 0.2), a(2)));
        MotMetrics.Summary summary = metrics.summary();
        assertThat(summary.idSwitches()).isZero();
        assertThat(summary.falsePositives()).isEqualTo(1);
    }

    @Test
    void aTrackOnAnIgnoredObjectIsNeitherAMatchNorAFalsePositive() {
        MotMetrics metrics = new MotMetrics(0.5);
        LabelledBox hidden = new LabelledBox(300, 0.3, 0.5, 0.1, 0.2);
        // Hypothesis 3 covers the ignored object, 9 covers nothing: only 9 is a false positive.
        metrics.addFrame(List.of(a(100)), List.of(hidden),
                List.of(a(1), new LabelledBox(3, 0.31, 0.5, 0.1, 0.2), new LabelledBox(9, 0.5, 0.8, 0.1, 0.1)));
        // Nothing on the ignored object: no miss either.
        metrics.addFrame(List.of(a(100)), List.of(hidden), List.of(a(1)));
        MotMetrics.Summary summary = metrics.summary();
        assertThat(summary.groundTruth()).isEqualTo(2);
        assertThat(summary.matches()).isEqualTo(2);
        assertThat(summary.misses()).isZero();
        assertThat(summary.falsePositives()).isEqualTo(1);
        assertThat(summary.hypotheses()).isEqualTo(3);
    }

    @Test
    void aHypothesisOnARealObjectCountsEvenIfItAlsoOverlapsAnIgnoredOne() {
        MotMetrics metrics = new MotMetrics(0.5);
        // The ignored object sits almost where the real one is; the one hypothesis goes to the real object.
        metrics.addFrame(List.of(a(100)), List.of(new LabelledBox(300, 0.1, 0.11, 0.1, 0.2)), List.of(a(1)));
        MotMetrics.Summary summary = metrics.summary();
        assertThat(summary.matches()).isEqualTo(1);
        assertThat(summary.falsePositives()).isZero();
    }
}
