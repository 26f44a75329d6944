package io.strix.aggregator.gateway;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client: its subscription and its own bounded queue. Everything here runs on the client's event loop.
 * Messages are written only while the connection can take them; a client that cannot keep up loses its oldest
 * messages (counted, and told with a {@code dropped} message once it catches up), and one that has not caught up for
 * {@link GatewayLimits#maxLag()} is disconnected. Either way nobody else waits for it.
 */
final class ClientSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    /** Replies (acks, errors, pongs) are never dropped; a client that piles up this many without reading is cut. */
    private static final int MAX_PENDING_REPLIES = 64;
    private static final int WRITE_QUEUE_BYTES = 512 * 1024;
    static final short CLOSE_TOO_SLOW = 4008;
    static final short CLOSE_TOO_MANY_REPLIES = 4009;

    private final long id;
    private final ServerWebSocket ws;
    private final WebSocketHub hub;
    private final WebSocketHub.ClientGroup group;
    private final GatewayLimits limits;
    private final Subscription subscription = new Subscription();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private final ArrayDeque<String> replies = new ArrayDeque<>();
    private long queuedBytes;
    private long dropped;
    private long droppedSinceNotice;
    /** System.nanoTime() since when the client has had messages it could not take, or -1. */
    private long laggingSince = -1;
    private boolean closed;

    ClientSession(long id, ServerWebSocket ws, WebSocketHub hub, WebSocketHub.ClientGroup group,
                  GatewayLimits limits) {
        this.id = id;
        this.ws = ws;
        this.hub = hub;
        this.group = group;
        this.limits = limits;
        ws.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        ws.drainHandler(v -> drain());
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> error(null, "binary messages are not understood; send JSON text messages"));
        ws.exceptionHandler(e -> {
            if (e instanceof CorruptedWebSocketFrameException corrupted) {
                // Vert.x would drop the connection without a word: say why (1009 too big, 1002 protocol error).
                String reason = String.valueOf(corrupted.getMessage());
                disconnect((short) corrupted.closeStatus().code(),
                        reason.length() <= 120 ? reason : reason.substring(0, 120), "protocol");
            } else {
                LOG.debug("WebSocket client {}: {}", id, e.toString());
            }
        });
        ws.closeHandler(v -> {
            closed = true;
            queue.clear();
            hub.closed(this);
        });
    }

    long id() {
        return id;
    }

    WebSocketHub.ClientGroup group() {
        return group;
    }

    Subscription subscription() {
        return subscription;
    }

    boolean isClosed() {
        return closed;
    }

    /** Queues a message if the client wants it; when the queue is full the oldest one goes. */
    void offer(Outbound message) {
        if (closed || !subscription.wants(message)) {
            return;
        }
        queue.addLast(message);
        queuedBytes += message.size();
        while (queue.size() > limits.maxQueuedMessages()
                || queuedBytes > limits.maxQueuedBytes() && queue.size() > 1) {
            Outbound oldest = queue.pollFirst();
            queuedBytes -= oldest.size();
            dropped++;
            droppedSinceNotice++;
            hub.metrics().dropped();
        }
    }

    void reply(JsonObject message) {
        if (closed) {
            return;
        }
        replies.addLast(message.encode());
        if (replies.size() > MAX_PENDING_REPLIES) {
            disconnect(CLOSE_TOO_MANY_REPLIES, "too many unread replies", "replies");
        }
    }

    /** Writes what the connection takes now; the rest waits for the drain handler. */
    void drain() {
        if (closed) {
            return;
        }
        while (true) {
            if (ws.writeQueueFull()) {
                if (laggingSince < 0) {
                    laggingSince = System.nanoTime();
                }
                return;
            }
            String reply = replies.pollFirst();
            if (reply != null) {
                ws.writeTextMessage(reply);
                continue;
            }
            if (droppedSinceNotice > 0) {
                ws.writeTextMessage(new JsonObject().put("type", "dropped").put("count", droppedSinceNotice)
                        .put("total", dropped).encode());
                droppedSinceNotice = 0;
                continue;
            }
            Outbound message = queue.pollFirst();
            if (message == null) {
                break;
            }
            queuedBytes -= message.size();
            if (message.text() != null) {
                ws.writeTextMessage(message.text());
            } else {
                ws.writeBinaryMessage(message.binary());
            }
            hub.metrics().sent();
        }
        laggingSince = -1;
    }

    /** Disconnects the client if it has lagged for too long. */
    void checkLag(long nowNanos) {
        if (!closed && laggingSince >= 0 && nowNanos - laggingSince > limits.maxLag().toNanos()) {
            disconnect(CLOSE_TOO_SLOW, "too slow: could not keep up for " + limits.maxLag().toSeconds() + " s",
                    "slow");
        }
    }

    void disconnect(short code, String reason, String metricReason) {
        if (closed) {
            return;
        }
        LOG.info("Disconnecting WebSocket client {} ({}), {} messages dropped", id, reason, dropped);
        closed = true;
        queue.clear();
        replies.clear();
        hub.metrics().disconnected(metricReason);
        ws.close(code, reason);
        hub.closed(this);
    }

    private void onText(String text) {
        ClientRequest request;
        try {
            request = ClientRequest.parse(text);
        } catch (ClientRequest.InvalidRequestException e) {
            error(e.id(), e.getMessage());
            return;
        }
        try {
            switch (request.op()) {
                case SUBSCRIBE, UNSUBSCRIBE -> subscribe(request);
                case PING -> reply(new JsonObject().put("type", "pong").put("id", request.id())
                        .put("serverTime", System.currentTimeMillis()));
            }
        } catch (RuntimeException e) {
            // Never let one client's odd message take the connection or the server down.
            LOG.warn("WebSocket client {}: cannot handle {}", id, ClientRequest.shorten(text), e);
            error(request.id(), "cannot handle this message");
            return;
        }
        drain();
    }

    private void subscribe(ClientRequest request) {
        boolean add = request.op() == ClientRequest.Op.SUBSCRIBE;
        Set<Stream> streams = request.streams();
        Set<String> cameras = request.cameras();
        if (add && !subscription.fits(streams, cameras, ClientRequest.MAX_CAMERAS)) {
            error(request.id(), "a subscription names at most " + ClientRequest.MAX_CAMERAS
                    + " cameras per stream; subscribe to \"*\" for every camera");
            return;
        }
        boolean hadPreview = subscription.wantsAny(Stream.PREVIEW);
        if (add) {
            subscription.add(streams, cameras);
        } else {
            subscription.remove(streams, cameras);
        }
        boolean hasPreview = subscription.wantsAny(Stream.PREVIEW);
        if (hadPreview != hasPreview) {
            hub.previewInterest(hasPreview ? 1 : -1);
        }
        JsonObject answer = new JsonObject().put("type", add ? "subscribed" : "unsubscribed")
                .put("id", request.id()).put("subscription", subscription.toJson());
        if (add) {
            // Not an error (a camera may be registered later), but likely a typo: say so.
            JsonArray unknown = new JsonArray();
            cameras.stream().filter(c -> !c.equals(Subscription.ALL) && !hub.directory().known(c))
                    .limit(100).forEach(unknown::add);
            if (!unknown.isEmpty()) {
                answer.put("unknownCameras", unknown);
            }
        }
        reply(answer);
        if (add) {
            // What is known already, so that a new client need not wait for the next change.
            for (Stream stream : List.of(Stream.STATUS, Stream.RULES)) {
                if (streams.contains(stream)) {
                    hub.directory().current(stream, camera -> subscription.wants(stream, camera))
                            .forEach(this::offer);
                }
            }
        }
    }

    private void error(Object requestId, String message) {
        hub.metrics().protocolError();
        reply(new JsonObject().put("type", "error").put("id", requestId).put("message", message));
        drain();
    }
}
