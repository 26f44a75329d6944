package io.strix.aggregator.http;

import io.strix.aggregator.json.WireJson;
import io.strix.aggregator.rules.RuleEngine;
import io.strix.aggregator.rules.RuleEngineConfig;
import io.strix.aggregator.stream.AggregatorTopology;
import io.strix.schema.Alert;
import io.strix.schema.TrackSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/tracks/{cameraId}} (the camera's latest snapshot) and {@code GET /api/incidents/{cameraId}} (its
 * open incidents), answered from the Kafka Streams state of the instance that owns the camera's partition. Any
 * instance can be asked: one that does not own the camera forwards the request to the one that does (found with
 * {@link KafkaStreams#queryMetadataForKey}, reachable at its {@code application.server}) and passes its answer on.
 */
public final class StateQueryApi {
    private static final Logger LOG = LoggerFactory.getLogger(StateQueryApi.class);
    /** Marks a forwarded request, so that ownership moving mid-request cannot bounce it around. */
    static final String FORWARDED_HEADER = "X-Strix-Forwarded-By";
    /** Names the instance that answered. */
    public static final String SERVED_BY_HEADER = "X-Strix-Served-By";
    private static final int FORWARD_TIMEOUT_MS = 10_000;

    private final Supplier<KafkaStreams> streams;
    private final Supplier<HostInfo> self;
    private final RuleEngineConfig engineConfig;
    private final HttpClient client;

    public StateQueryApi(Vertx vertx, Supplier<KafkaStreams> streams, Supplier<HostInfo> self,
                         RuleEngineConfig engineConfig) {
        this.streams = streams;
        this.self = self;
        this.engineConfig = engineConfig;
        this.client = vertx.createHttpClient();
    }

    public void mount(Router router) {
        router.get("/api/tracks/:cameraId").handler(ctx -> answer(ctx, this::tracks));
        router.get("/api/incidents/:cameraId").handler(ctx -> answer(ctx, this::incidents));
    }

    private void answer(RoutingContext ctx, Function<String, Answer> local) {
        String cameraId = ctx.pathParam("cameraId");
        KafkaStreams kafkaStreams = streams.get();
        if (kafkaStreams == null || !kafkaStreams.state().isRunningOrRebalancing()) {
            unavailable(ctx, "the stream processor is not running yet");
            return;
        }
        KeyQueryMetadata owner = kafkaStreams.queryMetadataForKey(AggregatorTopology.TRACKER_STORE, cameraId,
                Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)
                || owner.activeHost().equals(HostInfo.unavailable())) {
            unavailable(ctx, "no instance owns camera '" + cameraId + "' right now (rebalancing)");
            return;
        }
        HostInfo me = self.get();
        if (owner.activeHost().equals(me)) {
            ctx.vertx().executeBlocking(() -> local.apply(cameraId), false).onComplete(result -> {
                ctx.response().putHeader(SERVED_BY_HEADER, me.host() + ":" + me.port());
                if (result.failed()) {
                    if (result.cause() instanceof InvalidStateStoreException) {
                        unavailable(ctx, "camera '" + cameraId + "' is moving between instances; try again");
                    } else {
                        LOG.warn("Query for camera {} failed", cameraId, result.cause());
                        Answers.error(ctx, 500, "query failed: " + result.cause());
                    }
                    return;
                }
                Answers.json(ctx, result.result().status(), result.result().body());
            });
            return;
        }
        if (ctx.request().getHeader(FORWARDED_HEADER) != null) {
            unavailable(ctx, "camera '" + cameraId + "' is moving between instances; try again");
            return;
        }
        forward(ctx, owner.activeHost(), me);
    }

    private void forward(RoutingContext ctx, HostInfo owner, HostInfo me) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(owner.host())
                .setPort(owner.port()).setURI(ctx.request().uri()).setTimeout(FORWARD_TIMEOUT_MS)
                .putHeader(FORWARDED_HEADER, me.host() + ":" + me.port());
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    relay(ctx, response, body.toString());
                    return null;
                }))
                .onFailure(e -> Answers.error(ctx, 502, "the instance that owns the camera (" + owner.host() + ":"
                        + owner.port() + ") did not answer: " + e.getMessage()));
    }

    private static void relay(RoutingContext ctx, HttpClientResponse response, String body) {
        String servedBy = response.getHeader(SERVED_BY_HEADER);
        if (servedBy != null) {
            ctx.response().putHeader(SERVED_BY_HEADER, servedBy);
        }
        String type = response.getHeader("Content-Type");
        ctx.response().setStatusCode(response.statusCode())
                .putHeader("Content-Type", type == null ? "application/json" : type).end(body);
    }

    private Answer tracks(String cameraId) {
        ReadOnlyKeyValueStore<String, TrackSnapshot> store = streams.get().store(StoreQueryParameters.fromNameAndType(
                AggregatorTopology.LATEST_TRACKS_STORE, QueryableStoreTypes.<String, TrackSnapshot>keyValueStore()));
        TrackSnapshot snapshot = store.get(cameraId);
        if (snapshot == null) {
            return new Answer(404, new JsonObject().put("error", "no tracks for camera '" + cameraId
                    + "' since this instance took it over; they appear with its next frame"));
        }
        JsonObject json = WireJson.tracks(snapshot);
        json.remove("type");
        return new Answer(200, json);
    }

    private Answer incidents(String cameraId) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.get().store(StoreQueryParameters.fromNameAndType(
                AggregatorTopology.ENGINE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        byte[] state = store.get(cameraId);
        JsonArray incidents = new JsonArray();
        if (state != null) {
            for (Alert alert : RuleEngine.fromBytes(state, engineConfig).openIncidents()) {
                JsonObject json = WireJson.alert(alert);
                json.remove("type");
                incidents.add(json);
            }
        }
        return new Answer(200, new JsonObject().put("cameraId", cameraId).put("incidents", incidents));
    }

    private record Answer(int status, JsonObject body) {
    }

    private static void unavailable(RoutingContext ctx, String message) {
        ctx.response().putHeader("Retry-After", "1");
        Answers.error(ctx, 503, message);
    }
}
