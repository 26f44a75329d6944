package io.strix.aggregator.rules;

import java.util.TreeMap;

/** What the rule engine remembers of one track between snapshots. */
final class TrackMemory {
    /** A side of a line, and where the track was when last seen on that side. */
    record SidePoint(Geometry.Side side, double x, double y) {
    }

    final long trackId;
    String className;
    float peakConfidence;
    /** The anchor point: bottom centre of the box, where the object touches the ground. */
    double x;
    double y;
    long lastSeenMillis;
    /** Zone id to the time the track entered it. */
    final TreeMap<String, Long> zonesEntered = new TreeMap<>();
    /** Line id to the last side of it the track was seen on. */
    final TreeMap<String, SidePoint> lineSides = new TreeMap<>();

    TrackMemory(long trackId) {
        this.trackId = trackId;
    }
}
