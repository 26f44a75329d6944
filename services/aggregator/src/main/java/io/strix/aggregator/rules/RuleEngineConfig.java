package io.strix.aggregator.rules;

/**
 * Settings of the {@link RuleEngine}.
 *
 * @param updateIntervalSeconds an open incident sends UPDATED at most this often, and only when something changed
 * @param eventWindowSeconds line crossings (or zone exits) of one rule less than this apart belong to one incident;
 *     the incident ends when this long passes without another
 * @param presenceGraceSeconds a track missing from the snapshots still counts, at its last position, for this long,
 *     so an object hidden for a moment neither ends an incident nor starts a new one; keep it at least the
 *     tracker's lost buffer, so that a track found again is still remembered
 */
public record RuleEngineConfig(double updateIntervalSeconds, double eventWindowSeconds, double presenceGraceSeconds) {

    public RuleEngineConfig {
        requireSeconds("updateIntervalSeconds", updateIntervalSeconds);
        requireSeconds("eventWindowSeconds", eventWindowSeconds);
        requireSeconds("presenceGraceSeconds", presenceGraceSeconds);
    }

    /** Updates at most every 5 s, crossings 5 s apart merged, 2 s grace (the tracker's default lost buffer). */
    public static RuleEngineConfig defaults() {
        return new RuleEngineConfig(5, 5, 2);
    }

    long updateIntervalMillis() {
        return Math.round(updateIntervalSeconds * 1000);
    }

    long eventWindowMillis() {
        return Math.round(eventWindowSeconds * 1000);
    }

    long presenceGraceMillis() {
        return Math.round(presenceGraceSeconds * 1000);
    }

    private static void requireSeconds(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a number of seconds >= 0, was " + value);
        }
    }
}
