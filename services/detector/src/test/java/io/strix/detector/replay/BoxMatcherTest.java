package io.strix.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strix.schema.Box;
import io.strix.schema.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxMatcherTest {
    static Detection det(String className, float score, float x, float y, float w, float h) {
        return new Detection(className.hashCode() & 0xff, className, score, new Box(x, y, w, h));
    }

    @Test
    void iouOfHandComputedBoxes() {
        // Half overlapping: intersection 0.25 x 0.5 = 0.125, union 0.25 + 0.25 - 0.125 = 0.375.
        assertThat(BoxMatcher.iou(new Box(0f, 0f, 0.5f, 0.5f), new Box(0.25f, 0f, 0.5f, 0.5f)))
                .isCloseTo(1.0 / 3, within(1e-6));
        // Contained: 0.25 of the outer box.
        assertThat(BoxMatcher.iou(new Box(0f, 0f, 1f, 1f), new Box(0.25f, 0.25f, 0.5f, 0.5f)))
                .isCloseTo(0.25, within(1e-6));
        assertThat(BoxMatcher.iou(new Box(0.1f, 0.2f, 0.3f, 0.4f), new Box(0.1f, 0.2f, 0.3f, 0.4f)))
                .isCloseTo(1, within(1e-6));
        // Touching edges and apart: no overlap.
        assertThat(BoxMatcher.iou(new Box(0f, 0f, 0.5f, 0.5f), new Box(0.5f, 0f, 0.5f, 0.5f))).isZero();
        assertThat(BoxMatcher.iou(new Box(0f, 0f, 0.1f, 0.1f), new Box(0.5f, 0.5f, 0.1f, 0.1f))).isZero();
        // Degenerate boxes.
        assertThat(BoxMatcher.iou(new Box(0f, 0f, 0f, 0f), new Box(0f, 0f, 0f, 0f))).isZero();
    }

    @Test
    void sameBoxSameClassMatches() {
        Detection p = det("person", 0.7f, 0.1f, 0.1f, 0.2f, 0.2f);
        Detection c = det("person", 0.9f, 0.1f, 0.1f, 0.2f, 0.2f);
        BoxMatcher.Result r = BoxMatcher.match(List.of(c), List.of(p), 0.5);
        assertThat(r.matches()).singleElement().satisfies(m -> {
            assertThat(m.candidate()).isSameAs(c);
            assertThat(m.production()).isSameAs(p);
            assertThat(m.iou()).isCloseTo(1, within(1e-6));
        });
        assertThat(r.onlyCandidate()).isEmpty();
        assertThat(r.onlyProduction()).isEmpty();
    }

    @Test
    void anotherClassOnTheSameBoxDoesNotMatch() {
        Detection p = det("person", 0.7f, 0.1f, 0.1f, 0.2f, 0.2f);
        Detection c = det("car", 0.9f, 0.1f, 0.1f, 0.2f, 0.2f);
        BoxMatcher.Result r = BoxMatcher.match(List.of(c), List.of(p), 0.5);
        assertThat(r.matches()).isEmpty();
        assertThat(r.onlyCandidate()).containsExactly(c);
        assertThat(r.onlyProduction()).containsExactly(p);
    }

    @Test
    void theThresholdIsInclusive() {
        // The lower half of the frame inside the whole frame width: intersection 0.25, union 0.5, IoU exactly 0.5.
        Detection p = det("person", 0.7f, 0f, 0f, 1f, 0.5f);
        Detection c = det("person", 0.9f, 0f, 0f, 1f, 0.25f);
        assertThat(BoxMatcher.match(List.of(c), List.of(p), 0.5).matches()).hasSize(1);
        // IoU 1/3: no match at 0.5, a match at 0.3.
        Detection shifted = det("person", 0.9f, 0.25f, 0f, 0.5f, 0.5f);
        Detection q = det("person", 0.7f, 0f, 0f, 0.5f, 0.5f);
        assertThat(BoxMatcher.match(List.of(shifted), List.of(q), 0.5).matches()).isEmpty();
        assertThat(BoxMatcher.match(List.of(shifted), List.of(q), 0.3).matches()).hasSize(1);
    }

    @Test
    void theMoreConfidentCandidateTakesTheBoxFirst() {
        Detection p = det("person", 0.7f, 0f, 0f, 0.4f, 0.4f);
        // IoU 0.6 (intersection 0.3 x 0.4 = 0.12, union 0.16 + 0.16 - 0.12 = 0.2) but the higher score.
        Detection confident = det("person", 0.9f, 0.1f, 0f, 0.4f, 0.4f);
        // IoU 1 but a lower score: left without a partner.
        Detection exact = det("person", 0.5f, 0f, 0f, 0.4f, 0.4f);
        BoxMatcher.Result r = BoxMatcher.match(List.of(exact, confident), List.of(p), 0.5);
        assertThat(r.matches()).singleElement().satisfies(m -> {
            assertThat(m.candidate()).isSameAs(confident);
            assertThat(m.iou()).isCloseTo(0.6, within(1e-6));
        });
        assertThat(r.onlyCandidate()).containsExactly(exact);
        assertThat(r.onlyProduction()).isEmpty();
    }

    @Test
    void aCandidateTakesTheProductionBoxItOverlapsMost() {
        Detection p1 = det("car", 0.6f, 0f, 0f, 0.4f, 0.4f);
        Detection p2 = det("car", 0.5f, 0.05f, 0f, 0.4f, 0.4f);
        Detection c = det("car", 0.8f, 0.05f, 0f, 0.4f, 0.4f);
        BoxMatcher.Result r = BoxMatcher.match(List.of(c), List.of(p1, p2), 0.5);
        assertThat(r.matches()).singleElement().satisfies(m -> assertThat(m.production()).isSameAs(p2));
        assertThat(r.onlyProduction()).containsExactly(p1);
    }

    @Test
    void eachProductionBoxMatchesOnce() {
        Detection p = det("dog", 0.6f, 0.2f, 0.2f, 0.2f, 0.2f);
        Detection c1 = det("dog", 0.8f, 0.2f, 0.2f, 0.2f, 0.2f);
        Detection c2 = det("dog", 0.7f, 0.2f, 0.2f, 0.2f, 0.2f);
        BoxMatcher.Result r = BoxMatcher.match(List.of(c1, c2), List.of(p), 0.5);
        assertThat(r.matches()).hasSize(1);
        assertThat(r.onlyCandidate()).containsExactly(c2);
        assertThat(BoxMatcher.match(List.of(), List.of(p), 0.5).onlyProduction()).containsExactly(p);
        assertThat(BoxMatcher.match(List.of(c1), List.of(), 0.5).onlyCandidate()).containsExactly(c1);
    }
}
