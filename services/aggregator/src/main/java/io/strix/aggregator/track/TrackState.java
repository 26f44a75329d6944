package io.strix.aggregator.track;

/** Where a track is in its life. */
enum TrackState {
    /** Born from a detection, not yet matched often enough to be trusted; has no id yet. */
    TENTATIVE,
    /** Confirmed and matched on the latest processed frame. */
    TRACKED,
    /** Confirmed but not matched lately; kept for the lost buffer to be found again. */
    LOST
}
