package io.strix.detector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strix.detector.Fixtures;
import io.strix.detector.TestImages;
import io.strix.detector.inference.InferenceEngine;
import io.strix.detector.inference.ModelSource;
import io.strix.detector.postprocess.OutputLayout;
import io.strix.detector.postprocess.Postprocessor;
import io.strix.schema.Box;
import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.SkipReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipeline on the tiny hand-built models (make_fixtures.py): a 64x64 input and four candidates, in input pixels
 * (cx, cy, w, h): person 0.9 at (16, 16, 16, 16); person 0.8 at (18, 16, 16, 16), which NMS suppresses; car 0.7 at
 * the same place (another class: kept); and person at (48, 48, 8, 8) scored by the mean of the input image.
 */
class FramePipelineTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DetectorMetrics metrics = new DetectorMetrics(registry);

    private final List<InferenceEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(InferenceEngine::close);
    }

    private FramePipeline pipeline(Path model) {
        InferenceEngine engine = InferenceEngine.open(ModelSource.file(model), InferenceEngine.Settings.cpu(1));
        engines.add(engine);
        return new FramePipeline(engine, new Postprocessor.Settings(0.25f, 0.45f, 100),
                new FramePipeline.Settings(4, Duration.ofSeconds(5), "det-1"), metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static FrameInput frame(long seq, byte[] jpeg, int width, int height, Duration age) {
        return new FrameInput(TestImages.frame("cam", seq, NOW.minus(age), jpeg, width, height), 3, 100 + seq);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v8", "v5"})
    void detectsClassAwareAndMapsBoxesToTheFrame(String layout) throws Exception {
        Path model = layout.equals("v8") ? Fixtures.tinyV8() : Fixtures.tinyV5();
        try (FramePipeline pipeline = pipeline(model)) {
            assertThat(pipeline.model().layout()).isEqualTo(layout.equals("v8") ? OutputLayout.YOLOV8 : OutputLayout.YOLOV5);
            assertThat(pipeline.model().classNames()).containsExactly("person", "car");
            List<FrameOutcome> outcomes = pipeline.process(List.of(
                    frame(1, TestImages.flatJpeg(128, 128, 0), 128, 128, Duration.ZERO),
                    frame(2, TestImages.flatJpeg(128, 64, 255), 128, 64, Duration.ofSeconds(1))));

            FrameDetections black = outcomes.get(0).detections();
            assertThat(black.getSkipped()).isNull();
            assertThat(black.getDetections()).extracting(Detection::getClassName).containsExactly("person", "car");
            Detection person = black.getDetections().get(0);
            assertThat(person.getConfidence()).isCloseTo(0.9f, within(1e-6f));
            // (8, 8)-(24, 24) in a 64x64 input is (16, 16)-(48, 48) of the 128x128 frame.
            assertBox(person.getBox(), 0.125f, 0.125f, 0.25f, 0.25f);
            assertBox(black.getDetections().get(1).getBox(), 20 / 128f, 0.125f, 0.25f, 0.25f);

            // A white 128x64 frame fills the top and bottom quarters of the input with padding: mean (1 + 114/255) / 2.
            FrameDetections white = outcomes.get(1).detections();
            assertThat(white.getWidth()).isEqualTo(128);
            assertThat(white.getHeight()).isEqualTo(64);
            assertThat(white.getDetections()).extracting(Detection::getClassName).containsExactly("person", "person", "car");
            assertThat(white.getDetections().get(1).getConfidence()).isCloseTo((1 + 114 / 255f) / 2, within(1e-5f));
            // Input (8, 8)-(24, 24) lies partly in the padding (rows 0..15): clipped to the frame's top edge.
            assertBox(white.getDetections().get(0).getBox(), 0.125f, 0f, 0.25f, 0.25f);
            // Input (44, 44)-(52, 52) is frame (88, 56)-(104, 72), clipped at the bottom edge (64).
            assertBox(white.getDetections().get(1).getBox(), 88 / 128f, 56 / 64f, 16 / 128f, 8 / 64f);
        }
    }

    private static void assertBox(Box box, float x, float y, float w, float h) {
        assertThat(box.getX()).isCloseTo(x, within(1e-5f));
        assertThat(box.getY()).isCloseTo(y, within(1e-5f));
        assertThat(box.getW()).isCloseTo(w, within(1e-5f));
        assertThat(box.getH()).isCloseTo(h, within(1e-5f));
    }

    @Test
    void skipsStaleAndUndecodableFramesAndKeepsOrderAndLineage() throws Exception {
        try (FramePipeline pipeline = pipeline(Fixtures.tinyV8())) {
            List<FrameOutcome> outcomes = pipeline.process(List.of(
                    frame(1, TestImages.flatJpeg(64, 64, 255), 64, 64, Duration.ofSeconds(6)),
                    frame(2, new byte[] {1, 2, 3, 4}, 64, 64, Duration.ZERO),
                    frame(3, TestImages.flatJpeg(64, 64, 255), 64, 64, Duration.ZERO),
                    frame(4, TestImages.flatJpeg(64, 64, 0), 64, 64, Duration.ofMillis(4999))));
            assertThat(outcomes).extracting(o -> o.detections().getFrame().getFrameSeq()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(outcomes).extracting(o -> o.detections().getSkipped())
                    .containsExactly(SkipReason.STALE, SkipReason.UNDECODABLE, null, null);
            assertThat(outcomes.get(0).detections().getSkipDetail()).contains("6000 ms old").contains("5000 ms");
            assertThat(outcomes.get(0).detections().getDetections()).isEmpty();
            assertThat(outcomes.get(0).undecodable()).isEmpty();
            assertThat(outcomes.get(1).undecodable()).hasValueSatisfying(r -> assertThat(r).contains("4 bytes"));
            // Frames 3 (white: 3 boxes) and 4 (black: 2) sat in slots 0 and 1 of the inference batch.
            assertThat(outcomes.get(2).detections().getDetections()).hasSize(3);
            assertThat(outcomes.get(3).detections().getDetections()).hasSize(2);

            FrameDetections record = outcomes.get(2).detections();
            assertThat(record.getFrame().getCameraId()).isEqualTo("cam");
            assertThat(record.getFrame().getPartition()).isEqualTo(3);
            assertThat(record.getFrame().getOffset()).isEqualTo(103L);
            assertThat(record.getFrame().getCaptureTime()).isEqualTo(NOW);
            assertThat(record.getModel().getName()).isEqualTo("tiny-v8");
            assertThat(record.getModel().getVersion()).isEqualTo("t8");
            assertThat(record.getDetectorInstance()).isEqualTo("det-1");
            assertThat(record.getDetectedAt()).isEqualTo(NOW);

            assertThat(metrics.skips(SkipReason.STALE)).isEqualTo(1);
            assertThat(metrics.skips(SkipReason.UNDECODABLE)).isEqualTo(1);
            assertThat(metrics.batchSize().totalAmount()).isEqualTo(2);
        }
    }

    @Test
    void reportsTheDecodedSizeWhenTheFrameDeclaresAnotherOne() throws Exception {
        try (FramePipeline pipeline = pipeline(Fixtures.tinyV8())) {
            byte[] jpeg = TestImages.flatJpeg(128, 128, 0);
            List<FrameOutcome> outcomes = pipeline.process(List.of(
                    frame(1, jpeg, 128, 128, Duration.ZERO),   // decoded at 1/2, size as declared
                    frame(2, jpeg, 100, 100, Duration.ZERO),   // declared too small: decoded in full
                    frame(3, jpeg, 256, 256, Duration.ZERO))); // declared too large: decoded at 1/4
            for (FrameOutcome outcome : outcomes) {
                assertThat(outcome.detections().getWidth()).isEqualTo(128);
                assertThat(outcome.detections().getHeight()).isEqualTo(128);
                assertBox(outcome.detections().getDetections().get(0).getBox(), 0.125f, 0.125f, 0.25f, 0.25f);
            }
        }
    }

    @Test
    void namesAModelWithoutNameOrVersionAfterItsFileAndBytes() throws Exception {
        try (FramePipeline pipeline = pipeline(Fixtures.tinyV5())) {
            assertThat(pipeline.model().name()).isEqualTo("tiny-v5");
            assertThat(pipeline.model().version()).matches("sha256-[0-9a-f]{12}");
        }
    }

    @Test
    void infersNothingWhenEveryFrameIsSkipped() throws Exception {
        try (FramePipeline pipeline = pipeline(Fixtures.tinyV8())) {
            List<FrameOutcome> outcomes = pipeline.process(List.of(
                    frame(1, TestImages.flatJpeg(64, 64, 255), 64, 64, Duration.ofMinutes(1))));
            assertThat(outcomes).singleElement().satisfies(o ->
                    assertThat(o.detections().getSkipped()).isEqualTo(SkipReason.STALE));
            assertThat(metrics.batchSize().count()).isZero();
        }
    }
}
