package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strix.detector.postprocess.OutputLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parity on the shipped model (models/ at the repository root), loaded the way {@code strix detector} loads it
 * without {@code --model}: from the class path, where the build packages it.
 */
class ShippedModelParityTest extends ParityTest {
    static final Path PARITY = Path.of("../../models/mobilevit-yolo-xxs-384x256.parity.json");

    @Override
    Path parityJson() {
        assumeTrue(Files.exists(PARITY), "no shipped model in models/ yet");
        return PARITY;
    }

    @Override
    ModelSource model() {
        return ModelSource.resolve(Optional.empty());
    }

    @Test
    void isTheDefaultModelFromInsideTheJar() {
        assertThat(ModelSource.resolve(Optional.empty()).description()).contains("inside the jar");
        assertThat(engine.model().name()).isEqualTo("mobilevit-yolo-xxs-384x256");
        assertThat(engine.model().classNames()).containsExactly("person", "bicycle", "car", "motorcycle", "bus",
                "truck", "dog");
        assertThat(engine.model().layout()).isEqualTo(OutputLayout.YOLOV8);
        assertThat(engine.model().version()).isNotBlank();
    }
}
