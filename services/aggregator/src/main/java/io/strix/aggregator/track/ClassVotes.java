package io.strix.aggregator.track;

import java.util.Map;
import java.util.TreeMap;

/** Score-weighted votes for a track's class over its life, so one misclassified frame does not relabel it. */
final class ClassVotes {
    private final TreeMap<Integer, Double> weights = new TreeMap<>();
    private final TreeMap<Integer, String> names = new TreeMap<>();

    void add(int classId, String className, double score) {
        weights.merge(classId, score, Double::sum);
        names.put(classId, className);
    }

    void restore(int classId, String className, double weight) {
        weights.put(classId, weight);
        names.put(classId, className);
    }

    /** The class with the most weight; the lowest id on a tie, so the result never depends on arrival order. */
    int winner() {
        int best = -1;
        double bestWeight = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, Double> entry : weights.entrySet()) {
            if (entry.getValue() > bestWeight) {
                best = entry.getKey();
                bestWeight = entry.getValue();
            }
        }
        return best;
    }

    String nameOf(int classId) {
        return names.getOrDefault(classId, "");
    }

    Map<Integer, Double> weights() {
        return weights;
    }
}
