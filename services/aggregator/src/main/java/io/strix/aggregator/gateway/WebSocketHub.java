package io.strix.aggregator.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code /ws} (protocol: docs/websocket-api.md) and the fan-out of {@link Outbound} messages to
 * its clients. Clients are grouped by the event loop they live on; a batch of messages costs one task per event loop,
 * which offers each message to each of its clients' own queues. No client's pace reaches the feed or another client.
 */
public final class WebSocketHub {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHub.class);
    public static final int PROTOCOL_VERSION = 1;
    private static final long LAG_CHECK_MILLIS = 500;

    private final Vertx vertx;
    private final CameraDirectory directory;
    private final GatewayLimits limits;
    private final GatewayMetrics metrics;
    /**
     * By event-loop thread: handlers of one connection may run on different (duplicated) contexts of the same event
     * loop, but always on its thread.
     */
    private final Map<Thread, ClientGroup> groups = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger previewClients = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();

    public WebSocketHub(Vertx vertx, CameraDirectory directory, GatewayLimits limits, MeterRegistry registry) {
        this.vertx = vertx;
        this.directory = directory;
        this.limits = limits;
        this.metrics = new GatewayMetrics(registry, clients::get);
    }

    /** Adds {@code /ws}; the API token, when set, is checked before this by the admin server. */
    public void mount(Router router) {
        router.route("/ws").handler(this::upgrade);
    }

    public CameraDirectory directory() {
        return directory;
    }

    /** Whether any client wants previews (the feed reads frames only then). */
    public boolean previewWanted() {
        return limits.previewFps() > 0 && previewClients.get() > 0;
    }

    public int clientCount() {
        return clients.get();
    }

    /** Hands a batch of messages to every client that wants them; returns at once. Thread-safe. */
    public void publish(List<Outbound> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Outbound> shared = List.copyOf(batch);
        groups.values().forEach(group -> group.context.runOnContext(v -> group.deliver(shared)));
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    void previewInterest(int delta) {
        previewClients.addAndGet(delta);
    }

    void closed(ClientSession session) {
        if (session.group().clients.remove(session)) {
            clients.decrementAndGet();
            if (session.subscription().wantsAny(Stream.PREVIEW)) {
                previewClients.decrementAndGet();
            }
            LOG.debug("WebSocket client {} left", session.id());
        }
    }

    private void upgrade(RoutingContext ctx) {
        if (!ctx.request().canUpgradeToWebSocket()) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "/ws is a WebSocket endpoint; see docs/websocket-api.md")
                            .encode());
            return;
        }
        ctx.request().toWebSocket().onSuccess(this::connect)
                .onFailure(e -> LOG.debug("WebSocket handshake failed: {}", e.toString()));
    }

    private void connect(ServerWebSocket ws) {
        Context context = Vertx.currentContext();
        ClientGroup group = groups.computeIfAbsent(Thread.currentThread(), thread -> new ClientGroup(context));
        ClientSession session = new ClientSession(ids.incrementAndGet(), ws, this, group, limits);
        group.clients.add(session);
        clients.incrementAndGet();
        session.reply(new JsonObject()
                .put("type", "hello")
                .put("protocol", PROTOCOL_VERSION)
                .put("serverTime", System.currentTimeMillis())
                .put("streams", new JsonArray(Arrays.stream(Stream.values()).map(Stream::wireName).toList()))
                .put("cameras", directory.cameras())
                .put("previewFps", limits.previewFps())
                .put("limits", new JsonObject()
                        .put("maxQueuedMessages", limits.maxQueuedMessages())
                        .put("maxQueuedBytes", limits.maxQueuedBytes())
                        .put("maxLagSeconds", limits.maxLag().toSeconds())));
        session.drain();
        LOG.debug("WebSocket client {} connected from {}", session.id(), ws.remoteAddress());
    }

    /** The clients of one event loop; touched only on that event loop's thread. */
    final class ClientGroup {
        final Context context;
        final List<ClientSession> clients = new ArrayList<>();

        ClientGroup(Context context) {
            this.context = context;
            // Created on this context, so the timer fires on it too.
            vertx.setPeriodic(LAG_CHECK_MILLIS, id -> {
                long now = System.nanoTime();
                new ArrayList<>(clients).forEach(client -> client.checkLag(now));
            });
        }

        void deliver(List<Outbound> batch) {
            for (ClientSession client : new ArrayList<>(clients)) {
                for (Outbound message : batch) {
                    client.offer(message);
                }
                client.drain();
            }
        }
    }
}
