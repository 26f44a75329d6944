package io.strix.detector.inference;

/** The model cannot be used: missing, unreadable, or not a detector this service can run; the message says why. */
public final class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
