package io.strix.detector.replay;

import io.strix.schema.FrameDetections;
import io.strix.schema.SkipReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tallies a replay against production, frame by frame: on which frames each side detected (or skipped, and why, or
 * has no record at all), and, on the frames both detected on, per class how many boxes each side found and how many
 * of them match ({@link BoxMatcher}). Not thread-safe.
 */
public final class Comparison {
    /** Box counts of one class, or of all classes. */
    public static final class Tally {
        private long production;
        private long candidate;
        private long matched;
        private long onlyProduction;
        private long onlyCandidate;
        private double iouSum;

        public long production() {
            return production;
        }

        public long candidate() {
            return candidate;
        }

        public long matched() {
            return matched;
        }

        public long onlyProduction() {
            return onlyProduction;
        }

        public long onlyCandidate() {
            return onlyCandidate;
        }

        /** The mean IoU of the matched pairs; NaN without any. */
        public double meanIou() {
            return matched == 0 ? Double.NaN : iouSum / matched;
        }

        private void add(long productionBoxes, long candidateBoxes, List<BoxMatcher.Match> matches,
                         long onlyProductionBoxes, long onlyCandidateBoxes) {
            production += productionBoxes;
            candidate += candidateBoxes;
            matched += matches.size();
            onlyProduction += onlyProductionBoxes;
            onlyCandidate += onlyCandidateBoxes;
            for (BoxMatcher.Match m : matches) {
                iouSum += m.iou();
            }
        }
    }

    private final double minIou;
    private long replayed;
    private long productionFound;
    private long compared;
    private final Map<SkipReason, Long> candidateSkipped = new EnumMap<>(SkipReason.class);
    private final Map<SkipReason, Long> productionSkipped = new EnumMap<>(SkipReason.class);
    private final Map<String, Tally> classes = new HashMap<>();
    private final Tally total = new Tally();
    private final Set<String> productionModels = new TreeSet<>();

    /** @param minIou a candidate box matches a production box of its class from this IoU on */
    public Comparison(double minIou) {
        this.minIou = minIou;
    }

    /**
     * Adds one replayed frame.
     *
     * @param production production's record of the same frame, or null when none was found
     */
    public void add(FrameDetections candidate, FrameDetections production) {
        replayed++;
        if (candidate.getSkipped() != null) {
            candidateSkipped.merge(candidate.getSkipped(), 1L, Long::sum);
        }
        if (production == null) {
            return;
        }
        productionFound++;
        productionModels.add(production.getModel().getName() + " " + production.getModel().getVersion());
        if (production.getSkipped() != null) {
            productionSkipped.merge(production.getSkipped(), 1L, Long::sum);
            return;
        }
        if (candidate.getSkipped() != null) {
            return;
        }
        compared++;
        BoxMatcher.Result result = BoxMatcher.match(candidate.getDetections(), production.getDetections(), minIou);
        Map<String, List<BoxMatcher.Match>> matches = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>(); // production, candidate, only production, only candidate
        result.matches().forEach(m -> matches.computeIfAbsent(m.candidate().getClassName(), k -> new ArrayList<>())
                .add(m));
        production.getDetections().forEach(d -> counts.computeIfAbsent(d.getClassName(), k -> new long[4])[0]++);
        candidate.getDetections().forEach(d -> counts.computeIfAbsent(d.getClassName(), k -> new long[4])[1]++);
        result.onlyProduction().forEach(d -> counts.get(d.getClassName())[2]++);
        result.onlyCandidate().forEach(d -> counts.get(d.getClassName())[3]++);
        counts.forEach((className, c) -> {
            List<BoxMatcher.Match> classMatches = matches.getOrDefault(className, List.of());
            classes.computeIfAbsent(className, k -> new Tally()).add(c[0], c[1], classMatches, c[2], c[3]);
            total.add(c[0], c[1], classMatches, c[2], c[3]);
        });
    }

    public double minIou() {
        return minIou;
    }

    /** Frames replayed (decodable frame records in the range). */
    public long replayed() {
        return replayed;
    }

    /** Replayed frames the candidate detected on (not skipped). */
    public long candidateDetected() {
        return replayed - candidateSkipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<SkipReason, Long> candidateSkipped() {
        return Collections.unmodifiableMap(candidateSkipped);
    }

    /** Replayed frames that have a record in strix.detections. */
    public long productionFound() {
        return productionFound;
    }

    /** Replayed frames without a record in strix.detections. */
    public long productionMissing() {
        return replayed - productionFound;
    }

    /** Replayed frames whose production record has detections (was not skipped). */
    public long productionDetected() {
        return productionFound - productionSkipped.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<SkipReason, Long> productionSkipped() {
        return Collections.unmodifiableMap(productionSkipped);
    }

    /** Frames both sides detected on: the frames whose boxes are compared. */
    public long compared() {
        return compared;
    }

    /** Production's models ("name version") among the records found. */
    public Set<String> productionModels() {
        return Collections.unmodifiableSet(productionModels);
    }

    /** Per class, the classes with the most boxes first. */
    public Map<String, Tally> classes() {
        List<String> names = new ArrayList<>(classes.keySet());
        names.sort(Comparator.<String>comparingLong(n -> -(classes.get(n).production + classes.get(n).candidate))
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Tally> sorted = new java.util.LinkedHashMap<>();
        names.forEach(n -> sorted.put(n, classes.get(n)));
        return sorted;
    }

    public Tally total() {
        return total;
    }
}
