package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.detector.preprocess.InputSize;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {
    @Test
    void readsStrixJsonNames() {
        assertThat(ModelMetadata.classNames(Map.of("names", "[\"person\", \"bicycle\", \"car\"]")))
                .contains(List.of("person", "bicycle", "car"));
    }

    @Test
    void readsUltralyticsDictNames() {
        assertThat(ModelMetadata.classNames(Map.of("names", "{0: 'person', 1: \"traffic light\", 2: 'o\\'clock'}")))
                .contains(List.of("person", "traffic light", "o\\'clock"));
    }

    @Test
    void hasNoNamesWithoutTheKey() {
        assertThat(ModelMetadata.classNames(Map.of())).isEmpty();
    }

    @Test
    void rejectsNamesWithGaps() {
        assertThatThrownBy(() -> ModelMetadata.classNames(Map.of("names", "{0: 'a', 2: 'c'}")))
                .hasMessageContaining("no class 1");
        assertThatThrownBy(() -> ModelMetadata.classNames(Map.of("names", "person, car")))
                .hasMessageContaining("neither a JSON list");
    }

    @Test
    void readsTheInputSizeInEitherForm() {
        assertThat(ModelMetadata.inputSize(Map.of("imgsz", "320"))).contains(InputSize.square(320));
        assertThat(ModelMetadata.inputSize(Map.of("imgsz", "[640, 640]"))).contains(InputSize.square(640));
        // Ultralytics and Strix write a rectangular input as [height, width].
        assertThat(ModelMetadata.inputSize(Map.of("imgsz", "[320, 576]"))).contains(new InputSize(576, 320));
        assertThatThrownBy(() -> ModelMetadata.inputSize(Map.of("imgsz", "[1, 3, 320, 576]")))
                .isInstanceOf(ModelException.class).hasMessageContaining("[height, width]");
        assertThat(ModelMetadata.inputSize(Map.of())).isEqualTo(Optional.empty());
    }
}
