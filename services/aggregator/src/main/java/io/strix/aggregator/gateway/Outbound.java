package io.strix.aggregator.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * One message for WebSocket clients, encoded once and shared by every client that gets it.
 *
 * @param stream   null for messages every client gets (the camera list)
 * @param cameraId null for messages not about one camera
 * @param text     a JSON text message, or null for a binary one
 * @param binary   a binary message (previews), or null for a text one
 */
public record Outbound(Stream stream, String cameraId, String text, Buffer binary) {

    public static Outbound text(Stream stream, String cameraId, String json) {
        return new Outbound(stream, cameraId, json, null);
    }

    public static Outbound binary(Stream stream, String cameraId, Buffer bytes) {
        return new Outbound(stream, cameraId, null, bytes);
    }

    /** Roughly what the message weighs in a client's queue. */
    public int size() {
        return text != null ? text.length() : binary.length();
    }
}
