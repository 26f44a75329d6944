package io.strix.app.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A dashboard's view of the pipeline: a real WebSocket client of the aggregator's gateway ({@code /ws}, protocol of
 * docs/websocket-api.md) subscribed to the tracks and alerts of every camera. For each {@code tracks} message it
 * takes now − the frame's capture time, which is what a dashboard shows as the end-to-end latency; while recording
 * it keeps every such latency, by camera.
 */
final class TrackUpdateWatcher implements WebSocket.Listener, AutoCloseable {
    private final LongSupplier clock;
    private final CountDownLatch firstUpdate = new CountDownLatch(1);
    private final StringBuilder partial = new StringBuilder();
    private final Map<String, LatencySamples> byCamera = new HashMap<>();
    private volatile boolean recording;
    private volatile boolean closing;
    private volatile Throwable failure;
    private WebSocket socket;

    private TrackUpdateWatcher(LongSupplier clock) {
        this.clock = clock;
    }

    /** Connects to ws://localhost:PORT/ws and subscribes to the tracks and alerts of every camera. */
    static TrackUpdateWatcher connect(int port, LongSupplier clock) throws Exception {
        TrackUpdateWatcher watcher = new TrackUpdateWatcher(clock);
        watcher.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://localhost:" + port + "/ws"), watcher).get(30, TimeUnit.SECONDS);
        watcher.socket.sendText(new JsonObject().put("op", "subscribe").put("cameras", "*")
                .put("streams", new JsonArray().add("tracks").add("alerts")).encode(), true)
                .get(10, TimeUnit.SECONDS);
        return watcher;
    }

    /** Waits until the first tracks message arrives: the whole pipeline is flowing. */
    boolean awaitFirstUpdate(Duration timeout) throws InterruptedException {
        return firstUpdate.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts keeping latencies, forgetting any kept before. */
    synchronized void startRecording() {
        byCamera.clear();
        recording = true;
    }

    /** Stops keeping latencies; returns those kept since {@link #startRecording()}, by camera. */
    synchronized Map<String, LatencySamples> stopRecording() {
        recording = false;
        Map<String, LatencySamples> kept = new HashMap<>(byCamera);
        byCamera.clear();
        return kept;
    }

    /** Why the connection ended, if it did. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = clock.getAsLong();
        partial.append(data);
        if (last) {
            JsonObject message = new JsonObject(partial.toString());
            partial.setLength(0);
            if ("tracks".equals(message.getString("type"))) {
                firstUpdate.countDown();
                record(message.getString("cameraId"), now - message.getLong("captureTime"));
            }
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void record(String cameraId, long latencyMillis) {
        if (recording) {
            byCamera.computeIfAbsent(cameraId, c -> new LatencySamples()).add(latencyMillis);
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1); // previews: not subscribed, ignored
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (closing) {
            return null;
        }
        failure = new IllegalStateException("the gateway closed the WebSocket: " + statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            failure = error;
        }
    }

    @Override
    public void close() {
        closing = true;
        if (socket != null && !socket.isOutputClosed()) {
            CompletableFuture<WebSocket> closing = socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
            try {
                closing.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }
}
