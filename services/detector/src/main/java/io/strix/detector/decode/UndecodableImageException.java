package io.strix.detector.decode;

/** A frame whose image bytes cannot be decoded; the message says why, for the dead letter and the skipped record. */
public final class UndecodableImageException extends Exception {
    public UndecodableImageException(String message) {
        super(message);
    }
}
