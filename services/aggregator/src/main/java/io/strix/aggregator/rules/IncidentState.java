package io.strix.aggregator.rules;

import io.strix.schema.AlertPhase;
import io.strix.schema.FrameRef;
import io.strix.schema.RuleType;
import java.util.TreeSet;

/** One rule's incident bookkeeping: the open incident if any, its cooldown, and a pending condition. */
final class IncidentState {
    static final long NEVER = Long.MIN_VALUE;

    final String ruleId;
    final RuleType type;
    final long fingerprint;

    boolean active;
    String incidentId;
    FrameRef firstFrame;
    long startedMillis;
    /** Every track that took part in the incident so far. */
    final TreeSet<Long> trackIds = new TreeSet<>();
    final TreeSet<String> classNames = new TreeSet<>();
    /** The tracks satisfying the condition on the latest frame (condition rules). */
    final TreeSet<Long> current = new TreeSet<>();
    /** Something changed since the last alert sent. */
    boolean dirty;
    long lastEmittedMillis;
    AlertPhase lastPhase;
    /** Crossings or exits in the incident (event rules). */
    int eventCount;
    long lastEventMillis;
    int peakCount;
    /** No new incident before this time. */
    long cooldownUntilMillis = NEVER;
    /** Since when the condition has held without a break, for count rules' forSeconds. */
    long conditionSinceMillis = NEVER;

    IncidentState(String ruleId, RuleType type, long fingerprint) {
        this.ruleId = ruleId;
        this.type = type;
        this.fingerprint = fingerprint;
    }

    void open(String id, FrameRef frame, long now) {
        active = true;
        incidentId = id;
        firstFrame = frame;
        startedMillis = now;
        trackIds.clear();
        classNames.clear();
        current.clear();
        dirty = false;
        eventCount = 0;
        lastEventMillis = now;
        peakCount = 0;
    }

    void close(long now, long cooldownMillis) {
        active = false;
        cooldownUntilMillis = now + cooldownMillis;
        current.clear();
        dirty = false;
    }
}
