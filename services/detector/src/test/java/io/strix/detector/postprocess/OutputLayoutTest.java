package io.strix.detector.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OutputLayoutTest {
    private static final OptionalInt NO_NAMES = OptionalInt.empty();

    @Test
    void readsTheLayoutTheMetadataDeclares() {
        Map<String, String> strix = Map.of("output_layout", "[B, 4+nc, N]: cx, cy, w, h (input pixels), class scores");
        assertThat(OutputLayout.detect(new long[] {1, 11, 2100}, strix, OptionalInt.of(7))).isEqualTo(OutputLayout.YOLOV8);
    }

    @Test
    void tellsTheLayoutsApartByTheClassCount() {
        assertThat(OutputLayout.detect(new long[] {1, 84, 8400}, Map.of(), OptionalInt.of(80)))
                .isEqualTo(OutputLayout.YOLOV8);
        assertThat(OutputLayout.detect(new long[] {1, 25200, 85}, Map.of(), OptionalInt.of(80)))
                .isEqualTo(OutputLayout.YOLOV5);
        // Few candidates, many classes: only the class count decides.
        assertThat(OutputLayout.detect(new long[] {1, 4, 7}, Map.of(), OptionalInt.of(2)))
                .isEqualTo(OutputLayout.YOLOV5);
    }

    @Test
    void guessesFromTheShapeWithoutClassNames() {
        assertThat(OutputLayout.detect(new long[] {1, 84, 8400}, Map.of(), NO_NAMES)).isEqualTo(OutputLayout.YOLOV8);
        assertThat(OutputLayout.detect(new long[] {1, 25200, 85}, Map.of(), NO_NAMES)).isEqualTo(OutputLayout.YOLOV5);
        assertThat(OutputLayout.YOLOV8.classes(new long[] {1, 84, 8400})).isEqualTo(80);
        assertThat(OutputLayout.YOLOV5.candidates(new long[] {1, 25200, 85})).isEqualTo(25200);
    }

    @Test
    void rejectsShapesThatFitNeither() {
        assertThatThrownBy(() -> OutputLayout.detect(new long[] {1, 10, 100}, Map.of(), OptionalInt.of(80)))
                .hasMessageContaining("names 80 classes").hasMessageContaining("[1, 10, 100]");
        assertThatThrownBy(() -> OutputLayout.detect(new long[] {1, 1000}, Map.of(), NO_NAMES))
                .hasMessageContaining("[batch, 4 + classes, candidates]");
        assertThatThrownBy(() -> OutputLayout.detect(new long[] {1, 11, 2100},
                Map.of("output_layout", "[B, 4+nc, N]"), OptionalInt.of(3))).hasMessageContaining("has 7");
    }
}
