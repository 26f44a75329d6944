package io.strix.detector.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strix.detector.Fixtures;
import io.strix.detector.decode.JpegDecoder;
import io.strix.detector.postprocess.OutputLayout;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.detector.postprocess.ScoredBox;
import io.strix.detector.preprocess.Letterbox;
import io.strix.detector.preprocess.LetterboxWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parity fixture that {@code model/export.py} writes beside the ONNX file (format in model/README.md): ONNX
 * Runtime in Java must reproduce PyTorch's raw output within the fixture's tolerance, and our post-processing its
 * detections.
 */
class ParityTest {
    static JsonObject fixture;
    static float[] input;
    static float[] expected;
    static InferenceEngine engine;

    @BeforeAll
    static void load() throws Exception {
        Path json = Fixtures.file("xxs-320.parity.json");
        fixture = new JsonObject(Files.readString(json));
        assertThat(fixture.getString("format")).isEqualTo("strix-parity-1");
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(json.resolveSibling(fixture.getString("binary"))))
                .order(ByteOrder.LITTLE_ENDIAN);
        input = floats(raw, fixture.getJsonObject("input"));
        expected = floats(raw, fixture.getJsonObject("output"));
        engine = InferenceEngine.open(ModelSource.file(Fixtures.xxs()), InferenceEngine.Settings.cpu(2));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static float[] floats(ByteBuffer raw, JsonObject part) {
        float[] values = new float[part.getInteger("bytes") / Float.BYTES];
        raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(part.getInteger("offset")).asFloatBuffer().get(values);
        return values;
    }

    @Test
    void readsNameVersionClassesAndLayoutFromTheMetadata() {
        ModelInfo model = engine.model();
        assertThat(model.name()).isEqualTo("mobilevit-yolo-xxs-320");
        assertThat(model.version()).isEqualTo("fixture-1");
        assertThat(model.classNames()).containsExactly("person", "bicycle", "car", "motorcycle", "bus", "truck", "dog");
        assertThat(model.inputName()).isEqualTo("images");
        assertThat(model.inputSize()).isEqualTo(320);
        assertThat(model.layout()).isEqualTo(OutputLayout.YOLOV8);
        assertThat(model.locations()).isEqualTo(40 * 40 + 20 * 20 + 10 * 10);
    }

    @Test
    void onnxRuntimeMatchesPyTorchWithinTheTolerance() throws Exception {
        float[] actual = run(input);
        assertThat(actual).hasSameSizeAs(expected);
        double maxDiff = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("parity: max |ONNX Runtime - PyTorch| = %.3g over %d values%n", maxDiff, actual.length);
        assertThat(maxDiff).isLessThanOrEqualTo(fixture.getDouble("tolerance"));
    }

    @Test
    void finalBoxesMatchTheFixtureDetections() throws Exception {
        JsonObject spec = fixture.getJsonObject("detections");
        JsonArray rows = spec.getJsonArray("rows");
        assertThat(rows).as("the fixture has detections to compare").hasSizeGreaterThan(5);
        Postprocessor post = new Postprocessor(new Postprocessor.Settings(spec.getFloat("conf_threshold"),
                spec.getFloat("iou_threshold"), 100), OutputLayout.YOLOV8, engine.model().locations(),
                engine.model().classes());
        // Both on PyTorch's own output (the post-processing alone) and on ONNX Runtime's (the whole chain).
        assertMatches(post.detect(expected, 0), rows);
        assertMatches(post.detect(run(input), 0), rows);
    }

    private static void assertMatches(List<ScoredBox> boxes, JsonArray rows) {
        assertThat(boxes).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonArray row = rows.getJsonArray(i);
            ScoredBox box = boxes.get(i);
            // Rows are rounded to 4 decimals.
            assertThat(box.x1()).isCloseTo(row.getFloat(0), within(2e-3f));
            assertThat(box.y1()).isCloseTo(row.getFloat(1), within(2e-3f));
            assertThat(box.x2()).isCloseTo(row.getFloat(2), within(2e-3f));
            assertThat(box.y2()).isCloseTo(row.getFloat(3), within(2e-3f));
            assertThat(box.score()).isCloseTo(row.getFloat(4), within(2e-4f));
            assertThat(box.classId()).isEqualTo(row.getInteger(5));
        }
    }

    @Test
    void letterboxOfTheSourceImageMatchesTheFixtureInput() throws Exception {
        JsonObject source = fixture.getJsonObject("source_image");
        JsonObject expectedBox = source.getJsonObject("letterbox");
        // The lossless original of the fixture's input; OpenCV decodes PNG through the same call.
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

    private static double letterboxDifference(String file, int reduction, JsonObject expectedBox) throws Exception {
        try (JpegDecoder decoder = new JpegDecoder(); LetterboxWriter writer = new LetterboxWriter(320)) {
            Mat picture = decoder.decode(ByteBuffer.wrap(Files.readAllBytes(Fixtures.file(file))), reduction);
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

    private static float[] run(float[] images) throws Exception {
        FloatBuffer buffer = InferenceEngine.direct(images.length);
        buffer.put(images);
        return engine.run(buffer, 1);
    }
}
