package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.detector.Fixtures;
import io.strix.detector.TestImages;
import io.strix.detector.decode.JpegDecoder;
import io.strix.detector.postprocess.OutputLayout;
import io.strix.detector.preprocess.InputSize;
import io.strix.detector.preprocess.Letterbox;
import io.strix.detector.preprocess.LetterboxWriter;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Parity on the generated XXS model (make_fixtures.py: 18 detections on its scene), and our letterbox against Pillow's. */
class GeneratedModelParityTest extends ParityTest {
    @Override
    Path parityJson() {
        return Fixtures.file("xxs-320.parity.json");
    }

    @Override
    ModelSource model() {
        return ModelSource.file(Fixtures.xxs());
    }

    @Test
    void readsNameVersionClassesAndLayoutFromTheMetadata() {
        ModelInfo model = engine.model();
        assertThat(model.name()).isEqualTo("mobilevit-yolo-xxs-320");
        assertThat(model.version()).isEqualTo("fixture-1");
        assertThat(model.classNames()).containsExactly("person", "bicycle", "car", "motorcycle", "bus", "truck", "dog");
        assertThat(model.inputName()).isEqualTo("images");
        assertThat(model.input()).isEqualTo(InputSize.square(320));
        assertThat(model.layout()).isEqualTo(OutputLayout.YOLOV8);
        assertThat(model.locations()).isEqualTo(40 * 40 + 20 * 20 + 10 * 10);
    }

    @Test
    void letterboxOfTheSourceImageMatchesTheFixtureInput() throws Exception {
        JsonObject source = fixture.getJsonObject("source_image");
        JsonObject expectedBox = source.getJsonObject("letterbox");
        // The lossless original of the fixture's input, decoded by OpenCV (the detector's decoder takes JPEGs only).
        double png = letterboxDifference(source.getString("name"), 1, expectedBox);
        // The same scene as a JPEG (quality 95), decoded in full or at half size in the DCT domain.
        double jpegFull = letterboxDifference("scene.jpg", 1, expectedBox);
        double jpegScaled = letterboxDifference("scene.jpg", 2, expectedBox);
        System.out.printf("letterbox vs Pillow's (the fixture input), mean |diff| of 1: PNG + INTER_AREA %.4f,"
                + " JPEG + INTER_AREA %.4f, JPEG decoded at 1/2 %.4f%n", png, jpegFull, jpegScaled);
        // Different resamplers, same geometry and channel order: a swapped channel or a shifted row would give
        // differences of tenths.
        assertThat(png).isLessThan(0.01);
        assertThat(jpegFull).isLessThan(0.015);
        assertThat(jpegScaled).isLessThan(0.015);
    }

    private double letterboxDifference(String file, int reduction, JsonObject expectedBox) throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.file(file));
        try (JpegDecoder decoder = new JpegDecoder();
             LetterboxWriter writer = new LetterboxWriter(InputSize.square(320));
             Mat png = file.endsWith(".png") ? TestImages.decodeAnyImage(bytes) : null) {
            Mat picture = png != null ? png : decoder.decode(ByteBuffer.wrap(bytes), reduction);
            FloatBuffer ours = InferenceEngine.direct(writer.floatsPerImage());
            Letterbox box = writer.write(picture, ours, 0);
            assertThat(box.ratio() / reduction).isEqualTo(expectedBox.getDouble("ratio"));
            assertThat(box.left()).isEqualTo(expectedBox.getInteger("left"));
            assertThat(box.top()).isEqualTo(expectedBox.getInteger("top"));
            double sum = 0;
            for (int i = 0; i < input.length; i++) {
                sum += Math.abs(ours.get(i) - input[i]);
            }
            return sum / input.length;
        }
    }

}
