package io.strix.aggregator.track;

/**
 * Settings of the {@link ByteTracker}; the defaults are ByteTrack's, with its 30-frame buffer turned into seconds.
 *
 * @param highScore detections scoring at least this take part in the first association and may start tracks
 * @param lowScore detections scoring at least this (and below {@code highScore}) take part in the second
 *     association only; lower ones are dropped
 * @param newTrackScore an unmatched high-score detection starts a tentative track only when scoring at least this
 * @param firstMatchMaxCost largest IoU cost {@code 1 - IoU} (score-fused when {@code fuseScore}) accepted when
 *     matching high-score detections to tracks
 * @param secondMatchMaxCost largest IoU cost accepted when matching low-score detections to still-unmatched tracks
 * @param tentativeMatchMaxCost largest IoU cost accepted when matching tentative tracks to leftover detections
 * @param fuseScore multiplies IoU by the detection score in the first association, as ByteTrack does, so a
 *     confident detection wins over a doubtful one at equal overlap
 * @param confirmHits consecutive matched frames (the first detection included) before a track is confirmed and
 *     gets its id
 * @param lostBufferSeconds how long a confirmed track that is no longer matched is kept for re-identification
 *     before it is removed
 * @param duplicateIou a lost track overlapping a tracked one by more than this is a ghost of it and is removed
 * @param crossClassIou a detection overlapping a more confident detection of another class in the same frame by more
 *     than this is the same object seen as two classes (a car also called a truck: the detector's NMS is per class)
 *     and is dropped before association; 1 keeps every detection
 * @param coastSeconds a lost track still appears in snapshots, at its predicted box, until it has been unseen for
 *     this long, so that one missed detection does not make an object blink out of the output
 */
public record TrackerConfig(
        double highScore,
        double lowScore,
        double newTrackScore,
        double firstMatchMaxCost,
        double secondMatchMaxCost,
        double tentativeMatchMaxCost,
        boolean fuseScore,
        int confirmHits,
        double lostBufferSeconds,
        double duplicateIou,
        double crossClassIou,
        double coastSeconds) {

    public TrackerConfig {
        requireIn("lowScore", lowScore, 0, 1);
        requireIn("highScore", highScore, lowScore, 1);
        requireIn("newTrackScore", newTrackScore, 0, 1);
        requireIn("firstMatchMaxCost", firstMatchMaxCost, 0, 1);
        requireIn("secondMatchMaxCost", secondMatchMaxCost, 0, 1);
        requireIn("tentativeMatchMaxCost", tentativeMatchMaxCost, 0, 1);
        requireIn("duplicateIou", duplicateIou, 0, 1);
        requireIn("crossClassIou", crossClassIou, 0, 1);
        if (confirmHits < 1) {
            throw new IllegalArgumentException("confirmHits must be >= 1, was " + confirmHits);
        }
        if (!(coastSeconds >= 0) || coastSeconds > lostBufferSeconds) {
            throw new IllegalArgumentException("coastSeconds must be in 0..lostBufferSeconds (" + lostBufferSeconds
                    + "), was " + coastSeconds);
        }
        if (!(lostBufferSeconds >= 0) || Double.isInfinite(lostBufferSeconds)) {
            throw new IllegalArgumentException("lostBufferSeconds must be finite and >= 0, was " + lostBufferSeconds);
        }
    }

    /**
     * ByteTrack's published settings (thresholds 0.5 / 0.1 / 0.6, match limits 0.8 / 0.5 / 0.7, 2 hits), a 2 s
     * lost buffer, and lost tracks reported for 0.3 s (about one missed frame at a few frames per second; longer
     * coasting reports objects that have really left, shorter makes them blink on every missed detection); every
     * detection is kept whatever its overlap with another class's.
     */
    public static TrackerConfig defaults() {
        return new TrackerConfig(0.5, 0.1, 0.6, 0.8, 0.5, 0.7, true, 2, 2.0, 0.85, 1.0, 0.3);
    }

    /** The same with other high and new-track score thresholds (fitted to a model's score scale). */
    public TrackerConfig withScores(double high, double newTrack) {
        return new TrackerConfig(high, lowScore, newTrack, firstMatchMaxCost, secondMatchMaxCost,
                tentativeMatchMaxCost, fuseScore, confirmHits, lostBufferSeconds, duplicateIou, crossClassIou,
                coastSeconds);
    }

    public TrackerConfig withFirstMatchMaxCost(double cost) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, cost, secondMatchMaxCost,
                tentativeMatchMaxCost, fuseScore, confirmHits, lostBufferSeconds, duplicateIou, crossClassIou,
                coastSeconds);
    }

    public TrackerConfig withConfirmHits(int hits) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, firstMatchMaxCost, secondMatchMaxCost,
                tentativeMatchMaxCost, fuseScore, hits, lostBufferSeconds, duplicateIou, crossClassIou,
                coastSeconds);
    }

    public TrackerConfig withLostBufferSeconds(double seconds) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, firstMatchMaxCost, secondMatchMaxCost,
                tentativeMatchMaxCost, fuseScore, confirmHits, seconds, duplicateIou, crossClassIou,
                Math.min(coastSeconds, seconds));
    }

    public TrackerConfig withCrossClassIou(double iou) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, firstMatchMaxCost, secondMatchMaxCost,
                tentativeMatchMaxCost, fuseScore, confirmHits, lostBufferSeconds, duplicateIou, iou, coastSeconds);
    }

    public TrackerConfig withCoastSeconds(double seconds) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, firstMatchMaxCost, secondMatchMaxCost,
                tentativeMatchMaxCost, fuseScore, confirmHits, lostBufferSeconds, duplicateIou, crossClassIou,
                seconds);
    }

    private static void requireIn(String name, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(name + " must be in " + low + ".." + high + ", was " + value);
        }
    }
}
