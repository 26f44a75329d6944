package io.strix.ingest.source;

/** A camera stream failed: could not connect, broke, went silent, or can never work. */
public final class SourceException extends Exception {
    /** What kind of failure, which decides what the worker reports and whether it retries. */
    public enum Kind {
        /** Connection refused, stream broke, end of stream: retry with backoff. */
        BROKEN,
        /** Connected, but no picture arrives: report STALLED, then retry. */
        STALLED,
        /** No retry can fix it (e.g. a scheme nothing handles): the camera FAILS. */
        UNRECOVERABLE
    }

    private final Kind kind;

    public SourceException(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
