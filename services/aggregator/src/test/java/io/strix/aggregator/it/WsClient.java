package io.strix.aggregator.it;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket test client (the JDK's) that keeps every message it receives. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    private final List<JsonObject> texts = new ArrayList<>();
    private final List<byte[]> binaries = new ArrayList<>();
    private final StringBuilder partialText = new StringBuilder();
    private final java.io.ByteArrayOutputStream partialBinary = new java.io.ByteArrayOutputStream();
    private WebSocket socket;
    private volatile Integer closeCode;

    /** @param query e.g. {@code ?access_token=T}, or "" */
    static WsClient connect(int port, String query) throws Exception {
        WsClient client = new WsClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://localhost:" + port + "/ws" + query), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(JsonObject message) {
        send(message.encode());
    }

    synchronized int mark() {
        return texts.size();
    }

    synchronized int binaryCount() {
        return binaries.size();
    }

    synchronized List<byte[]> binaries() {
        return List.copyOf(binaries);
    }

    synchronized List<JsonObject> texts() {
        return List.copyOf(texts);
    }

    Integer closeCode() {
        return closeCode;
    }

    /** The first text message from index {@code from} on that matches, waiting up to {@code timeout}. */
    synchronized JsonObject await(int from, Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = from; i < texts.size(); i++) {
                if (match.test(texts.get(i))) {
                    return texts.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + timeout + "; got " + texts.subList(from,
                        texts.size()).stream().map(JsonObject::encode).map(s -> s.length() > 300
                        ? s.substring(0, 300) + "..." : s).toList());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized void awaitBinaries(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (binaries.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("got " + binaries.size() + " binary messages within " + timeout + ", wanted "
                        + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (this) {
            partialText.append(data);
            if (last) {
                texts.add(new JsonObject(partialText.toString()));
                partialText.setLength(0);
                notifyAll();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (this) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partialBinary.writeBytes(bytes);
            if (last) {
                binaries.add(partialBinary.toByteArray());
                partialBinary.reset();
                notifyAll();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        synchronized (this) {
            notifyAll();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The JSON header of a binary preview message (4-byte length, JSON, JPEG). */
    static JsonObject previewHeader(byte[] message) {
        int length = ByteBuffer.wrap(message, 0, 4).getInt();
        return new JsonObject(new String(message, 4, length, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null);
        }
        if (socket != null) {
            socket.abort();
        }
    }
}
