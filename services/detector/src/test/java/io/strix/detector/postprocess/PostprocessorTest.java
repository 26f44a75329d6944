package io.strix.detector.postprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostprocessorTest {
    private static final Postprocessor.Settings DEFAULTS = new Postprocessor.Settings(0.25f, 0.45f, 100);

    /** YOLOv8 layout [4 + nc, N] from rows of (cx, cy, w, h, scores...). */
    private static float[] v8(float[][] rows, int classes) {
        int n = rows.length;
        float[] out = new float[(4 + classes) * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 4 + classes; c++) {
                out[c * n + i] = rows[i][c];
            }
        }
        return out;
    }

    @Test
    void keepsTheBestClassPerLocationAndDropsLowScores() {
        float[] out = v8(new float[][] {
            {50, 50, 20, 20, 0.1f, 0.6f},
            {150, 50, 20, 20, 0.25f, 0.2f},   // exactly at the threshold: dropped (score must be above it)
            {250, 50, 20, 20, 0.3f, 0.3f},    // a tie keeps the first class, as argmax does
        }, 2);
        List<ScoredBox> boxes = new Postprocessor(DEFAULTS, OutputLayout.YOLOV8, 3, 2).detect(out, 0);
        assertThat(boxes).containsExactly(new ScoredBox(40, 40, 60, 60, 0.6f, 1), new ScoredBox(240, 40, 260, 60, 0.3f, 0));
    }

    @Test
    void suppressesOverlapsWithinAClassButNotAcrossClasses() {
        float[] out = v8(new float[][] {
            {50, 50, 20, 20, 0.9f, 0},
            {52, 50, 20, 20, 0.8f, 0},  // IoU 0.82 with the first, same class: suppressed
            {52, 50, 20, 20, 0, 0.7f},  // same box, other class: kept
            {60, 50, 20, 20, 0.6f, 0},  // IoU 0.33 with the first: kept
        }, 2);
        List<ScoredBox> boxes = new Postprocessor(DEFAULTS, OutputLayout.YOLOV8, 4, 2).detect(out, 0);
        assertThat(boxes).extracting(ScoredBox::score).containsExactly(0.9f, 0.7f, 0.6f);
        assertThat(boxes).extracting(ScoredBox::classId).containsExactly(0, 1, 0);
    }

    @Test
    void capsDetectionsAndCandidates() {
        float[][] rows = new float[10][];
        for (int i = 0; i < 10; i++) {
            rows[i] = new float[] {i * 100 + 50, 50, 20, 20, 0.3f + i * 0.05f};
        }
        float[] out = v8(rows, 1);
        assertThat(new Postprocessor(new Postprocessor.Settings(0.25f, 0.45f, 3), OutputLayout.YOLOV8, 10, 1)
                .detect(out, 0)).extracting(ScoredBox::x1).containsExactly(940f, 840f, 740f);
        assertThat(new Postprocessor(new Postprocessor.Settings(0.25f, 0.45f, 100, 4), OutputLayout.YOLOV8, 10, 1)
                .detect(out, 0)).hasSize(4);
    }

    @Test
    void readsTheImageOfABatch() {
        float[] one = v8(new float[][] {{50, 50, 20, 20, 0.9f}}, 1);
        float[] two = v8(new float[][] {{70, 50, 20, 20, 0.8f}}, 1);
        float[] batch = new float[one.length * 2];
        System.arraycopy(one, 0, batch, 0, one.length);
        System.arraycopy(two, 0, batch, one.length, two.length);
        assertThat(new Postprocessor(DEFAULTS, OutputLayout.YOLOV8, 1, 1).detect(batch, 1))
                .containsExactly(new ScoredBox(60, 40, 80, 60, 0.8f, 0));
    }

    @Test
    void scoresYolov5AsObjectnessTimesClassProbability() {
        float[] out = {
            50, 50, 20, 20, 0.9f, 0.5f, 0.6f,    // 0.9 × 0.6 = 0.54, class 1
            150, 50, 20, 20, 0.2f, 1.0f, 0.0f,   // objectness under the threshold
            250, 50, 20, 20, 0.5f, 0.4f, 0.1f,   // 0.2: under the threshold
        };
        List<ScoredBox> boxes = new Postprocessor(DEFAULTS, OutputLayout.YOLOV5, 3, 2).detect(out, 0);
        assertThat(boxes).hasSize(1);
        assertThat(boxes.get(0).classId()).isEqualTo(1);
        assertThat(boxes.get(0).score()).isEqualTo(0.9f * 0.6f);
        assertThat(boxes.get(0).x1()).isEqualTo(40);
    }

    @Test
    void computesIouLikeTheReference() {
        ScoredBox a = new ScoredBox(0, 0, 10, 10, 1, 0);
        assertThat(Postprocessor.iou(a, 5, 0, 15, 10)).isEqualTo(50.0 / 150.0);
        assertThat(Postprocessor.iou(a, 20, 20, 30, 30)).isZero();
        assertThat(Postprocessor.iou(a, 0, 0, 0, 0)).isZero();
    }
}
