package io.strix.ingest.worker;

/**
 * Picks frames for a target rate by their timestamps, not by counting frames, so a stream whose frame rate differs
 * from what it advertises (or varies) is still sampled evenly. Never bursts to catch up after a gap.
 */
final class FrameSampler {
    private final long intervalMicros;
    private long nextDueMicros = Long.MIN_VALUE;
    private long lastMicros = Long.MIN_VALUE;

    FrameSampler(double targetFps) {
        this.intervalMicros = Math.max(1, Math.round(1_000_000 / targetFps));
    }

    /** @return true when the frame at this time should be kept */
    boolean accept(long timestampMicros) {
        if (timestampMicros < lastMicros) {
            // The stream clock jumped back (a new session, a wrap): start over from here.
            nextDueMicros = Long.MIN_VALUE;
        }
        lastMicros = timestampMicros;
        if (nextDueMicros == Long.MIN_VALUE || timestampMicros >= nextDueMicros) {
            // Half an interval of tolerance keeps 25 fps -> 5 fps at exactly every 5th frame despite jitter.
            long base = nextDueMicros == Long.MIN_VALUE || timestampMicros - nextDueMicros > intervalMicros
                    ? timestampMicros : nextDueMicros;
            nextDueMicros = base + intervalMicros;
            return true;
        }
        return false;
    }

    /** Whether a frame at this time would be kept; changes nothing. */
    boolean wouldAccept(long timestampMicros) {
        return nextDueMicros == Long.MIN_VALUE || timestampMicros < lastMicros || timestampMicros >= nextDueMicros
                || timestampMicros - nextDueMicros > intervalMicros;
    }

    void reset() {
        nextDueMicros = Long.MIN_VALUE;
        lastMicros = Long.MIN_VALUE;
    }
}
