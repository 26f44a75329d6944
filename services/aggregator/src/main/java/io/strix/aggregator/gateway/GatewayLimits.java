package io.strix.aggregator.gateway;

import java.time.Duration;

/**
 * How much a slow WebSocket client may hold up before it loses messages, and how long it may lag before it is
 * disconnected.
 *
 * @param maxQueuedMessages messages waiting for one client; beyond this the oldest is dropped (and counted)
 * @param maxQueuedBytes    bytes waiting for one client (previews are large); beyond this the oldest is dropped
 * @param maxLag            a client whose queue has not emptied for this long is disconnected
 * @param previewFps        previews per camera per second; 0 turns previews off
 */
public record GatewayLimits(int maxQueuedMessages, long maxQueuedBytes, Duration maxLag, int previewFps) {
    public GatewayLimits {
        if (maxQueuedMessages < 1 || maxQueuedBytes < 1) {
            throw new IllegalArgumentException("queue limits must be positive");
        }
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new IllegalArgumentException("maxLag must be positive");
        }
        if (previewFps < 0) {
            throw new IllegalArgumentException("previewFps must be >= 0");
        }
    }

    public static GatewayLimits defaults() {
        return new GatewayLimits(512, 8L * 1024 * 1024, Duration.ofSeconds(10), 2);
    }
}
