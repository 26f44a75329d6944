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
import org.junit.jupiter.api.TestInstance;

/**
 * The parity fixture that {@code model/export.py} writes beside the ONNX file (format in model/README.md): ONNX
 * Runtime in Java must reproduce PyTorch's raw output within the fixture's tolerance, and our post-processing its
 * detections. Run for the generated test model and for the shipped model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ParityTest {
    JsonObject fixture;
    float[] input;
    float[] expected;
    InferenceEngine engine;

    /** The fixture's .parity.json. */
    abstract Path parityJson();

    abstract ModelSource model();

    @BeforeAll
    void load() throws Exception {
        Path json = parityJson();
        fixture = new JsonObject(Files.readString(json));
        assertThat(fixture.getString("format")).isEqualTo("strix-parity-1");
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(json.resolveSibling(fixture.getString("binary"))))
                .order(ByteOrder.LITTLE_ENDIAN);
        input = floats(raw, fixture.getJsonObject("input"));
        expected = floats(raw, fixture.getJsonObject("output"));
        engine = InferenceEngine.open(model(), InferenceEngine.Settings.cpu(2));
    }

    @AfterAll
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static float[] floats(ByteBuffer raw, JsonObject part) {
        float[] values = new float[part.getInteger("bytes") / Float.BYTES];
        raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(part.getInteger("offset")).asFloatBuffer().get(values);
        return values;
    }

    @Test
    void onnxRuntimeMatchesPyTorchWithinTheTolerance() throws Exception {
        float[] actual = run(input);
        assertThat(actual).hasSameSizeAs(expected);
        // |ONNX Runtime - PyTorch| <= tolerance + relative_tolerance x |PyTorch| per value (export.py's rule: float32
        // rounding grows with the value, e.g. box edges hundreds of pixels out); fixtures before it are absolute only.
        double tolerance = fixture.getDouble("tolerance");
        double relative = fixture.getDouble("relative_tolerance", 0.0);
        double maxDiff = 0;
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            maxDiff = Math.max(maxDiff, diff);
            worstExcess = Math.max(worstExcess, diff - tolerance - relative * Math.abs(expected[i]));
        }
        System.out.printf("parity (%s): max |ONNX Runtime - PyTorch| = %.3g over %d values%n",
                engine.model().name() + " " + engine.model().version(), maxDiff, actual.length);
        assertThat(worstExcess).as("largest difference beyond %s + %s x |value|", tolerance, relative)
                .isLessThanOrEqualTo(0.0);
    }

    @Test
    void finalBoxesMatchTheFixtureDetections() throws Exception {
        JsonObject spec = fixture.getJsonObject("detections");
        JsonArray rows = spec.getJsonArray("rows");
        assertThat(rows).as("the fixture has detections to compare").isNotEmpty();
        Postprocessor post = new Postprocessor(new Postprocessor.Settings(spec.getFloat("conf_threshold"),
                spec.getFloat("iou_threshold"), 100), OutputLayout.YOLOV8, engine.model().locations(),
                engine.model().classes());
        // Both on PyTorch's own output (the post-processing alone) and on ONNX Runtime's (the whole chain).
        assertMatches(post.detect(expected, 0), rows);
        assertMatches(post.detect(run(input), 0), rows);
    }

    static void assertMatches(List<ScoredBox> boxes, JsonArray rows) {
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

    float[] run(float[] images) throws Exception {
        FloatBuffer buffer = InferenceEngine.direct(images.length);
        buffer.put(images);
        return engine.run(buffer, 1);
    }
}
