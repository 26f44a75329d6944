package io.strix.detector.replay;

import io.strix.schema.ModelRef;
import io.strix.schema.SkipReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * What a replay found, as the table {@code strix replay} prints and as the JSON of {@code --json}: the same figures.
 *
 * @param firstCapture capture time of the earliest replayed frame, null when none was replayed
 * @param notFrames    records in the range that are not decodable frames (no record is written for them)
 * @param productionRecordsRead records of strix.detections read to find production's records of the frames
 * @param inferenceMillisPerFrame ONNX Runtime time per inferred frame
 * @param seconds      wall time of the replay proper: reading, decoding, inference and writing, from the first
 *                     frame read to the last record acknowledged (not model loading or the last chunk's
 *                     comparison; earlier chunks are compared while the next batch is inferred)
 */
public record ReplayReport(Instant from, Instant to, String outputTopic, ModelRef candidate, float confidence,
                           float nmsIou, Comparison comparison, long notFrames, long productionRecordsRead,
                           Instant firstCapture, Instant lastCapture, double inferenceMillisPerFrame, double seconds) {

    public double framesPerSecond() {
        return seconds > 0 ? comparison.replayed() / seconds : 0;
    }

    public String table() {
        Comparison c = comparison;
        StringBuilder s = new StringBuilder();
        s.append("Replay of strix.frames ").append(from).append(" .. ").append(to).append(" into ").append(outputTopic)
                .append('\n');
        s.append(String.format(Locale.ROOT, "candidate   %s %s (confidence %.2f, NMS IoU %.2f)%n", candidate.getName(),
                candidate.getVersion(), confidence, nmsIou));
        s.append("production  ").append(c.productionModels().isEmpty() ? "(no records found)"
                : String.join(", ", c.productionModels())).append('\n');
        s.append('\n');
        row(s, "frames replayed", c.replayed(), firstCapture == null ? "none in the range"
                : "captured " + firstCapture + " .. " + lastCapture);
        row(s, "  candidate detected", c.candidateDetected(), "");
        c.candidateSkipped().forEach((reason, n) -> row(s, "  candidate skipped " + reason, n, skipNote(reason)));
        if (notFrames > 0) {
            row(s, "records that are no frame", notFrames, "not replayed");
        }
        row(s, "with a production record", c.productionFound(), "");
        row(s, "  production detected", c.productionDetected(), "");
        c.productionSkipped().forEach((reason, n) -> row(s, "  production skipped " + reason, n, skipNote(reason)));
        row(s, "without a production record", c.productionMissing(),
                c.productionMissing() > 0 ? "not detected yet, or past strix.detections' retention" : "");
        row(s, "strix.detections records read", productionRecordsRead, "to find production's records");
        row(s, "frames compared", c.compared(), "both detected; the boxes below are theirs");
        s.append('\n');
        s.append(String.format(Locale.ROOT, "%-16s %10s %10s %8s %16s %15s %9s%n", "class", "production",
                "candidate", "matched", "only-production", "only-candidate", "mean IoU"));
        c.classes().forEach((name, tally) -> classRow(s, name, tally));
        classRow(s, "total", c.total());
        s.append(String.format(Locale.ROOT, "(matched: same class, IoU >= %.2f, greedy by candidate score)%n",
                c.minIou()));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "inference   %.1f ms per frame%n", inferenceMillisPerFrame));
        s.append(String.format(Locale.ROOT, "throughput  %.1f frames/s (%d frames in %.1f s)%n", framesPerSecond(),
                c.replayed(), seconds));
        return s.toString();
    }

    public JsonObject json() {
        Comparison c = comparison;
        JsonArray classes = new JsonArray();
        c.classes().forEach((name, tally) -> classes.add(tally(tally).put("class", name)));
        return new JsonObject()
                .put("from", from.toString())
                .put("to", to.toString())
                .put("outputTopic", outputTopic)
                .put("candidateModel", new JsonObject().put("name", candidate.getName())
                        .put("version", candidate.getVersion()))
                .put("confidence", Double.parseDouble(Float.toString(confidence))) // 0.4, not 0.4000000059604645
                .put("nmsIou", Double.parseDouble(Float.toString(nmsIou)))
                .put("productionModels", new JsonArray(c.productionModels().stream().toList()))
                .put("frames", new JsonObject()
                        .put("replayed", c.replayed())
                        .put("firstCapture", firstCapture == null ? null : firstCapture.toString())
                        .put("lastCapture", lastCapture == null ? null : lastCapture.toString())
                        .put("candidateDetected", c.candidateDetected())
                        .put("candidateSkipped", reasons(c.candidateSkipped()))
                        .put("notFrames", notFrames)
                        .put("withProductionRecord", c.productionFound())
                        .put("productionDetected", c.productionDetected())
                        .put("productionSkipped", reasons(c.productionSkipped()))
                        .put("withoutProductionRecord", c.productionMissing())
                        .put("compared", c.compared()))
                .put("matchIou", c.minIou())
                .put("classes", classes)
                .put("total", tally(c.total()))
                .put("meanIou", finite(c.total().meanIou()))
                .put("productionRecordsRead", productionRecordsRead)
                .put("inferenceMsPerFrame", inferenceMillisPerFrame)
                .put("seconds", seconds)
                .put("framesPerSecond", framesPerSecond());
    }

    private static void row(StringBuilder s, String label, long value, String note) {
        s.append(String.format(Locale.ROOT, "%-32s %6d%s%n", label, value, note.isEmpty() ? "" : "   " + note));
    }

    private static void classRow(StringBuilder s, String name, Comparison.Tally t) {
        double iou = t.meanIou();
        s.append(String.format(Locale.ROOT, "%-16s %10d %10d %8d %16d %15d %9s%n", name, t.production(),
                t.candidate(), t.matched(), t.onlyProduction(), t.onlyCandidate(),
                Double.isNaN(iou) ? "-" : String.format(Locale.ROOT, "%.3f", iou)));
    }

    private static String skipNote(SkipReason reason) {
        return switch (reason) {
            case STALE -> "latency budget (--max-frame-age)";
            case UNDECODABLE -> "the JPEG cannot be decoded";
            case INFERENCE_ERROR -> "inference failed (logged)";
            default -> "";
        };
    }

    private static JsonObject tally(Comparison.Tally t) {
        return new JsonObject().put("production", t.production()).put("candidate", t.candidate())
                .put("matched", t.matched()).put("onlyProduction", t.onlyProduction())
                .put("onlyCandidate", t.onlyCandidate()).put("meanIou", finite(t.meanIou()));
    }

    private static JsonObject reasons(Map<SkipReason, Long> counts) {
        JsonObject o = new JsonObject();
        counts.forEach((reason, n) -> o.put(reason.name(), n));
        return o;
    }

    private static Double finite(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
