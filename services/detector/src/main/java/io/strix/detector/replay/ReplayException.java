package io.strix.detector.replay;

/** A replay cannot go on (a topic is missing, Kafka is unreachable, a write failed); the message says why. */
public final class ReplayException extends RuntimeException {
    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
