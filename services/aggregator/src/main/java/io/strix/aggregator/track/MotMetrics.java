package io.strix.aggregator.track;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-object tracking accuracy of a tracker's output against ground truth, frame by frame: CLEAR MOT (MOTA,
 * misses, false positives, ID switches, Bernardin &amp; Stiefelhagen 2008) and identity measures (IDF1, Ristani et
 * al. 2016), with matches at IoU ≥ a threshold (0.5 by convention).
 */
public final class MotMetrics {
    /** A labelled box, top-left and size in any consistent unit. */
    public record LabelledBox(long id, double x, double y, double w, double h) {
    }

    /** The figures over all frames added so far. */
    public record Summary(long groundTruth, long hypotheses, long matches, long misses, long falsePositives,
                          long idSwitches, double mota, double motp, double idf1, double idPrecision,
                          double idRecall, int trueTrajectories, int mostlyTracked, int mostlyLost) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "MOTA=%.3f IDF1=%.3f (IDP=%.3f IDR=%.3f) MOTP(IoU)=%.3f IDsw=%d FN=%d FP=%d GT=%d matches=%d "
                            + "trajectories=%d mostlyTracked=%d mostlyLost=%d",
                    mota, idf1, idPrecision, idRecall, motp, idSwitches, misses, falsePositives, groundTruth, matches,
                    trueTrajectories, mostlyTracked, mostlyLost);
        }
    }

    private final double iouThreshold;
    private long groundTruth;
    private long hypotheses;
    private long matches;
    private long idSwitches;
    private double iouSum;
    /** Ground-truth id to the hypothesis id it was last matched with. */
    private final Map<Long, Long> lastMatch = new HashMap<>();
    private final Map<Long, Long> truthFrames = new LinkedHashMap<>();
    private final Map<Long, Long> truthMatchedFrames = new HashMap<>();
    private final Map<Long, Long> hypothesisFrames = new LinkedHashMap<>();
    /** Frames where a ground-truth and a hypothesis id overlap by at least the threshold, for IDF1. */
    private final Map<Long, Map<Long, Long>> overlaps = new HashMap<>();
    /** Hypothesis id to the frames it was a false positive in. */
    private final Map<Long, Long> falsePositiveFrames = new HashMap<>();

    public MotMetrics(double iouThreshold) {
        this.iouThreshold = iouThreshold;
    }

    /**
     * Adds one frame with "don't care" objects as well (MOTChallenge's distractors: objects too small or too hidden
     * to count). A hypothesis that the best one-to-one pairing at IoU ≥ the threshold gives to an ignored object is
     * neither a match nor a false positive: tracking an object nobody asked to be tracked is not an error, and missing
     * it is not a miss.
     */
    public void addFrame(List<LabelledBox> truth, List<LabelledBox> ignored, List<LabelledBox> hypothesis) {
        if (ignored.isEmpty() || hypothesis.isEmpty()) {
            addFrame(truth, hypothesis);
            return;
        }
        List<LabelledBox> all = new ArrayList<>(truth);
        all.addAll(ignored);
        double[][] cost = new double[all.size()][hypothesis.size()];
        for (int t = 0; t < all.size(); t++) {
            for (int h = 0; h < hypothesis.size(); h++) {
                LabelledBox a = all.get(t);
                LabelledBox b = hypothesis.get(h);
                cost[t][h] = 1 - Iou.of(a.x(), a.y(), a.w(), a.h(), b.x(), b.y(), b.w(), b.h());
            }
        }
        boolean[] dropped = new boolean[hypothesis.size()];
        for (int[] pair : LinearAssignment.assign(cost, hypothesis.size(), 1 - iouThreshold).matches()) {
            if (pair[0] >= truth.size() && 1 - cost[pair[0]][pair[1]] >= iouThreshold) {
                dropped[pair[1]] = true;
            }
        }
        List<LabelledBox> kept = new ArrayList<>();
        for (int h = 0; h < hypothesis.size(); h++) {
            if (!dropped[h]) {
                kept.add(hypothesis.get(h));
            }
        }
        addFrame(truth, kept);
    }

    /** Adds one frame: what is really there, and what the tracker says is there. */
    public void addFrame(List<LabelledBox> truth, List<LabelledBox> hypothesis) {
        groundTruth += truth.size();
        hypotheses += hypothesis.size();
        truth.forEach(t -> truthFrames.merge(t.id(), 1L, Long::sum));
        hypothesis.forEach(h -> hypothesisFrames.merge(h.id(), 1L, Long::sum));
        double[][] iou = new double[truth.size()][hypothesis.size()];
        for (int t = 0; t < truth.size(); t++) {
            for (int h = 0; h < hypothesis.size(); h++) {
                LabelledBox a = truth.get(t);
                LabelledBox b = hypothesis.get(h);
                iou[t][h] = Iou.of(a.x(), a.y(), a.w(), a.h(), b.x(), b.y(), b.w(), b.h());
                if (iou[t][h] >= iouThreshold) {
                    overlaps.computeIfAbsent(a.id(), k -> new HashMap<>()).merge(b.id(), 1L, Long::sum);
                }
            }
        }
        // CLEAR MOT: a correspondence from the previous frame is kept while it still overlaps enough.
        boolean[] truthDone = new boolean[truth.size()];
        boolean[] hypothesisDone = new boolean[hypothesis.size()];
        for (int t = 0; t < truth.size(); t++) {
            Long previous = lastMatch.get(truth.get(t).id());
            if (previous == null) {
                continue;
            }
            for (int h = 0; h < hypothesis.size(); h++) {
                if (!hypothesisDone[h] && hypothesis.get(h).id() == previous && iou[t][h] >= iouThreshold) {
                    truthDone[t] = true;
                    hypothesisDone[h] = true;
                    record(truth.get(t), iou[t][h]);
                    break;
                }
            }
        }
        List<Integer> openTruth = new ArrayList<>();
        List<Integer> openHypotheses = new ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            if (!truthDone[t]) {
                openTruth.add(t);
            }
        }
        for (int h = 0; h < hypothesis.size(); h++) {
            if (!hypothesisDone[h]) {
                openHypotheses.add(h);
            }
        }
        double[][] cost = new double[openTruth.size()][openHypotheses.size()];
        for (int i = 0; i < openTruth.size(); i++) {
            for (int j = 0; j < openHypotheses.size(); j++) {
                cost[i][j] = 1 - iou[openTruth.get(i)][openHypotheses.get(j)];
            }
        }
        for (int[] pair : LinearAssignment.assign(cost, openHypotheses.size(), 1 - iouThreshold).matches()) {
            int t = openTruth.get(pair[0]);
            int h = openHypotheses.get(pair[1]);
            if (iou[t][h] < iouThreshold) {
                continue;
            }
            hypothesisDone[h] = true;
            long truthId = truth.get(t).id();
            long hypothesisId = hypothesis.get(h).id();
            Long previous = lastMatch.put(truthId, hypothesisId);
            if (previous != null && previous != hypothesisId) {
                idSwitches++;
            }
            record(truth.get(t), iou[t][h]);
        }
        for (int h = 0; h < hypothesis.size(); h++) {
            if (!hypothesisDone[h]) {
                falsePositiveFrames.merge(hypothesis.get(h).id(), 1L, Long::sum);
            }
        }
    }

    /**
     * Hypothesis id to the number of frames it was a false positive in (its frames with no object matched to it),
     * so a caller that knows each hypothesis' class or source can say where the false positives come from.
     */
    public Map<Long, Long> falsePositivesByHypothesis() {
        return Map.copyOf(falsePositiveFrames);
    }

    private void record(LabelledBox truth, double iou) {
        matches++;
        iouSum += iou;
        truthMatchedFrames.merge(truth.id(), 1L, Long::sum);
    }

    public Summary summary() {
        long misses = groundTruth - matches;
        long falsePositives = falsePositiveFrames.values().stream().mapToLong(Long::longValue).sum();
        double mota = groundTruth == 0 ? 1 : 1 - (double) (misses + falsePositives + idSwitches) / groundTruth;
        double motp = matches == 0 ? 0 : iouSum / matches;
        List<Long> truthIds = new ArrayList<>(truthFrames.keySet());
        List<Long> hypothesisIds = new ArrayList<>(hypothesisFrames.keySet());
        double[][] cost = new double[truthIds.size()][hypothesisIds.size()];
        for (int t = 0; t < truthIds.size(); t++) {
            Map<Long, Long> row = overlaps.getOrDefault(truthIds.get(t), Map.of());
            for (int h = 0; h < hypothesisIds.size(); h++) {
                cost[t][h] = -row.getOrDefault(hypothesisIds.get(h), 0L);
            }
        }
        long idTruePositives = 0;
        int[] assignment = LinearAssignment.solve(cost);
        for (int t = 0; t < assignment.length; t++) {
            if (assignment[t] >= 0) {
                idTruePositives += (long) -cost[t][assignment[t]];
            }
        }
        double idf1 = groundTruth + hypotheses == 0 ? 1 : 2.0 * idTruePositives / (groundTruth + hypotheses);
        double idPrecision = hypotheses == 0 ? 1 : (double) idTruePositives / hypotheses;
        double idRecall = groundTruth == 0 ? 1 : (double) idTruePositives / groundTruth;
        int mostlyTracked = 0;
        int mostlyLost = 0;
        for (Map.Entry<Long, Long> entry : truthFrames.entrySet()) {
            double covered = (double) truthMatchedFrames.getOrDefault(entry.getKey(), 0L) / entry.getValue();
            if (covered >= 0.8) {
                mostlyTracked++;
            } else if (covered < 0.2) {
                mostlyLost++;
            }
        }
        return new Summary(groundTruth, hypotheses, matches, misses, falsePositives, idSwitches, mota, motp, idf1,
                idPrecision, idRecall, truthFrames.size(), mostlyTracked, mostlyLost);
    }
}
