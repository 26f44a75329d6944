package io.strix.aggregator.gateway;

import java.util.Locale;
import java.util.Optional;

/** What a WebSocket client can subscribe to, per camera. */
public enum Stream {
    /** strix.tracks: the camera's tracks after each frame. */
    TRACKS,
    /** strix.alerts: incident lifecycle. */
    ALERTS,
    /** strix.camera-status: the ingest worker's state; the current one is sent on subscribe. */
    STATUS,
    /** strix.frames, thinned to a few frames per second: JPEG in binary messages. */
    PREVIEW,
    /** strix.rules: zones, lines and rules in force; the current ones are sent on subscribe. */
    RULES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Stream> fromWire(String name) {
        for (Stream s : values()) {
            if (s.wireName().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
