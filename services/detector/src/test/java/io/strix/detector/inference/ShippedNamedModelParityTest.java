package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.detector.preprocess.InputSize;
import io.strix.detector.preprocess.Letterbox;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parity on a shipped model, loaded as {@code --model NAME} loads it: by name, from the class path, where the build
 * packages it. Its [B, 3, H, W] input, read from the graph, letterboxed as Python letterboxes it. One subclass per
 * shipped model, named by its input size.
 */
abstract class ShippedNamedModelParityTest extends ParityTest {
    private final String name;
    private final InputSize input;

    ShippedNamedModelParityTest(String name, InputSize input) {
        this.name = name;
        this.input = input;
    }

    @Override
    Path parityJson() {
        return Path.of("../../models/" + name + ".parity.json"); // committed: a missing file fails
    }

    @Override
    ModelSource model() {
        ModelSource source = ModelSource.resolve(Optional.of(Path.of(name)));
        assertThat(source.description()).contains("inside the jar");
        return source;
    }

    @Test
    void hasItsInputAndOneCandidatePerLocationAtStrides8To32() {
        ModelInfo model = engine.model();
        assertThat(model.name()).isEqualTo(name);
        assertThat(model.input()).isEqualTo(input);
        int w = input.width();
        int h = input.height();
        assertThat(model.locations()).isEqualTo(w / 8 * (h / 8) + w / 16 * (h / 16) + w / 32 * (h / 32));
        assertThat(engine.inputFloatsPerImage()).isEqualTo(3 * w * h);
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
