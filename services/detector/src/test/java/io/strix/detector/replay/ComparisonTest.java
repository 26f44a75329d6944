package io.strix.detector.replay;

import static io.strix.detector.replay.BoxMatcherTest.det;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.strix.schema.Detection;
import io.strix.schema.FrameDetections;
import io.strix.schema.FrameRef;
import io.strix.schema.ModelRef;
import io.strix.schema.SkipReason;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final ModelRef CANDIDATE = new ModelRef("mobilevit-yolo-xxs-320", "new");
    private static final ModelRef PRODUCTION = new ModelRef("mobilevit-yolo-xxs-320", "old");

    private static FrameDetections frame(long seq, ModelRef model, SkipReason skipped, Detection... detections) {
        return new FrameDetections(new FrameRef("door", seq, T0.plusMillis(200 * seq), 0, seq), 640, 360, model,
                skipped, skipped == null ? null : "because", List.of(detections), T0, "test");
    }

    /**
     * Five frames: one both detected on (a person matched at IoU 0.6, a car only production saw, a dog only the
     * candidate saw), one without a production record, one production skipped as stale, one neither could decode,
     * one only the candidate could not decode.
     */
    private static Comparison fiveFrames() {
        Comparison c = new Comparison(0.5);
        c.add(frame(1, CANDIDATE, null, det("person", 0.9f, 0.1f, 0f, 0.4f, 0.4f), det("dog", 0.4f, 0.6f, 0.6f, 0.1f, 0.1f)),
                frame(1, PRODUCTION, null, det("person", 0.8f, 0f, 0f, 0.4f, 0.4f), det("car", 0.5f, 0.5f, 0.1f, 0.3f, 0.2f)));
        c.add(frame(2, CANDIDATE, null, det("person", 0.9f, 0f, 0f, 0.4f, 0.4f)), null);
        c.add(frame(3, CANDIDATE, null, det("person", 0.9f, 0f, 0f, 0.4f, 0.4f)), frame(3, PRODUCTION, SkipReason.STALE));
        c.add(frame(4, CANDIDATE, SkipReason.UNDECODABLE), frame(4, PRODUCTION, SkipReason.UNDECODABLE));
        c.add(frame(5, CANDIDATE, SkipReason.UNDECODABLE), frame(5, PRODUCTION, null, det("person", 0.8f, 0f, 0f, 0.4f, 0.4f)));
        return c;
    }

    @Test
    void sortsFramesBySide() {
        Comparison c = fiveFrames();
        assertThat(c.replayed()).isEqualTo(5);
        assertThat(c.candidateDetected()).isEqualTo(3);
        assertThat(c.candidateSkipped()).isEqualTo(Map.of(SkipReason.UNDECODABLE, 2L));
        assertThat(c.productionFound()).isEqualTo(4);
        assertThat(c.productionMissing()).isEqualTo(1);
        assertThat(c.productionDetected()).isEqualTo(2);
        assertThat(c.productionSkipped()).isEqualTo(Map.of(SkipReason.STALE, 1L, SkipReason.UNDECODABLE, 1L));
        assertThat(c.compared()).isEqualTo(1);
        assertThat(c.productionModels()).containsExactly("mobilevit-yolo-xxs-320 old");
    }

    @Test
    void countsBoxesPerClassOnTheFramesBothDetectedOn() {
        Comparison c = fiveFrames();
        assertThat(c.classes()).containsOnlyKeys("person", "car", "dog");
        Comparison.Tally person = c.classes().get("person");
        assertThat(new long[] {person.production(), person.candidate(), person.matched(), person.onlyProduction(),
                person.onlyCandidate()}).containsExactly(1, 1, 1, 0, 0);
        assertThat(person.meanIou()).isCloseTo(0.6, within(1e-6));
        Comparison.Tally car = c.classes().get("car");
        assertThat(new long[] {car.production(), car.candidate(), car.matched(), car.onlyProduction(),
                car.onlyCandidate()}).containsExactly(1, 0, 0, 1, 0);
        assertThat(car.meanIou()).isNaN();
        Comparison.Tally dog = c.classes().get("dog");
        assertThat(new long[] {dog.production(), dog.candidate(), dog.matched(), dog.onlyProduction(),
                dog.onlyCandidate()}).containsExactly(0, 1, 0, 0, 1);
        Comparison.Tally total = c.total();
        assertThat(new long[] {total.production(), total.candidate(), total.matched(), total.onlyProduction(),
                total.onlyCandidate()}).containsExactly(2, 2, 1, 1, 1);
        assertThat(total.meanIou()).isCloseTo(0.6, within(1e-6));
    }

    @Test
    void theSameDetectionsMatchCompletely() {
        Comparison c = new Comparison(0.5);
        Detection[] boxes = {det("person", 0.9f, 0.1f, 0.1f, 0.2f, 0.5f), det("person", 0.6f, 0.5f, 0.1f, 0.2f, 0.5f),
            det("car", 0.3f, 0.4f, 0.6f, 0.3f, 0.2f)};
        c.add(frame(1, CANDIDATE, null, boxes), frame(1, PRODUCTION, null, boxes));
        assertThat(c.total().matched()).isEqualTo(3).isEqualTo(c.total().production());
        assertThat(c.total().onlyProduction() + c.total().onlyCandidate()).isZero();
        assertThat(c.total().meanIou()).isCloseTo(1, within(1e-6));
    }

    @Test
    void reportShowsTheSameFiguresAsTableAndJson() {
        ReplayReport report = new ReplayReport(T0, T0.plusSeconds(60), "strix.detections.shadow", CANDIDATE, 0.25f,
                0.45f, fiveFrames(), 2, 7, T0.plusMillis(200), T0.plusMillis(1000), 61.25, 2.5);
        String table = report.table();
        assertThat(table).contains("strix.detections.shadow", "mobilevit-yolo-xxs-320 new (confidence 0.25, NMS IoU 0.45)",
                "production  mobilevit-yolo-xxs-320 old");
        assertThat(table).containsPattern("frames replayed +5 ")
                .containsPattern("candidate skipped UNDECODABLE +2")
                .containsPattern("records that are no frame +2")
                .containsPattern("with a production record +4")
                .containsPattern("production skipped STALE +1 ")
                .containsPattern("without a production record +1 ")
                .containsPattern("strix.detections records read +7 ")
                .containsPattern("frames compared +1 ")
                .containsPattern("person +1 +1 +1 +0 +0 +0.600")
                .containsPattern("car +1 +0 +0 +1 +0 +-")
                .containsPattern("total +2 +2 +1 +1 +1 +0.600")
                .contains("61.3 ms per frame", "2.0 frames/s (5 frames in 2.5 s)");

        JsonObject json = report.json();
        assertThat(json.getJsonObject("frames").getLong("replayed")).isEqualTo(5);
        assertThat(json.getJsonObject("frames").getLong("withoutProductionRecord")).isEqualTo(1);
        assertThat(json.getJsonObject("frames").getJsonObject("productionSkipped").getLong("STALE")).isEqualTo(1);
        assertThat(json.getJsonObject("frames").getLong("notFrames")).isEqualTo(2);
        assertThat(json.getLong("productionRecordsRead")).isEqualTo(7);
        assertThat(json.getJsonObject("total").getLong("onlyProduction")).isEqualTo(1);
        assertThat(json.getJsonArray("classes").getJsonObject(0).getString("class")).isEqualTo("person");
        assertThat(json.getDouble("meanIou")).isCloseTo(0.6, within(1e-6));
        assertThat(json.getDouble("framesPerSecond")).isEqualTo(2.0);
        // Round trip: the file is plain JSON.
        assertThat(new JsonObject(json.encodePrettily())).isEqualTo(json);
    }
}
