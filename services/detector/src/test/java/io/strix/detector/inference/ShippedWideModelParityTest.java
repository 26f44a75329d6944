package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.detector.preprocess.InputSize;
import io.strix.detector.preprocess.Letterbox;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parity on the shipped 16:9 model, loaded as {@code --model mobilevit-yolo-xxs-576x320} loads it: by name, from the
 * class path, where the build packages it. A rectangular [B, 3, 320, 576] input, read from the graph, letterboxed as
 * Python letterboxes it.
 */
class ShippedWideModelParityTest extends ParityTest {
    @Override
    Path parityJson() {
        return Path.of("../../models/mobilevit-yolo-xxs-576x320.parity.json"); // committed: a missing file fails
    }

    @Override
    ModelSource model() {
        ModelSource source = ModelSource.resolve(Optional.of(Path.of("mobilevit-yolo-xxs-576x320")));
        assertThat(source.description()).contains("inside the jar");
        return source;
    }

    @Test
    void hasASixteenByNineInputAndOneCandidatePerLocation() {
        ModelInfo model = engine.model();
        assertThat(model.name()).isEqualTo("mobilevit-yolo-xxs-576x320");
        assertThat(model.input()).isEqualTo(new InputSize(576, 320));
        assertThat(model.locations()).isEqualTo(72 * 40 + 36 * 20 + 18 * 10);
        assertThat(engine.inputFloatsPerImage()).isEqualTo(3 * 576 * 320);
    }

    @Test
    void placesTheSourceImageWherePythonPlacedIt() {
        JsonObject source = fixture.getJsonObject("source_image");
        JsonObject expected = source.getJsonObject("letterbox");
        Letterbox box = Letterbox.fit(source.getInteger("width"), source.getInteger("height"), engine.model().input());
        assertThat(box.ratio()).isEqualTo(expected.getDouble("ratio"));
        assertThat(box.left()).isEqualTo(expected.getInteger("left"));
        assertThat(box.top()).isEqualTo(expected.getInteger("top"));
    }
}
