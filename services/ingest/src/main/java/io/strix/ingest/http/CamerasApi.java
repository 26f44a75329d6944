package io.strix.ingest.http;

import io.strix.common.http.AdminServer;
import io.strix.common.http.JsonBody;
import io.strix.common.redact.Redact;
import io.strix.ingest.publish.KafkaFrameSink;
import io.strix.ingest.registry.CameraDirectory;
import io.strix.ingest.registry.CameraSpecs;
import io.strix.ingest.registry.CameraValidation;
import io.strix.ingest.registry.InvalidCameraException;
import io.strix.ingest.worker.CameraWorker;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraStatus;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code /api/cameras}: list, read, create, replace and delete cameras. Writes go to strix.cameras (the source of
 * truth); every instance answers for every camera. URLs in answers are redacted.
 */
public final class CamerasApi {
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final CameraDirectory directory;
    private final Producer<byte[], byte[]> producer;
    private final Function<String, CameraWorker> localWorkers;

    public CamerasApi(CameraDirectory directory, Producer<byte[], byte[]> producer,
                      Function<String, CameraWorker> localWorkers) {
        this.directory = directory;
        this.producer = producer;
        this.localWorkers = localWorkers;
    }

    public void mount(Router router) {
        router.route("/api/cameras*").handler(AdminServer.bodyHandler(MAX_BODY_BYTES));
        router.get("/api/cameras").handler(this::list);
        router.get("/api/cameras/:id").handler(this::get);
        router.post("/api/cameras").handler(ctx -> write(ctx, null, false));
        router.put("/api/cameras/:id").handler(ctx -> write(ctx, ctx.pathParam("id"), true));
        router.delete("/api/cameras/:id").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        JsonArray cameras = new JsonArray();
        directory.cameras().forEach(c -> cameras.add(toJson(c)));
        json(ctx, 200, new JsonObject().put("cameras", cameras));
    }

    private void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        directory.camera(id).ifPresentOrElse(c -> json(ctx, 200, toJson(c)),
                () -> error(ctx, 404, "no camera '" + id + "'", List.of()));
    }

    private void write(RoutingContext ctx, String pathId, boolean replace) {
        JsonObject body;
        try {
            body = JsonBody.object(ctx, "a camera, with at least cameraId and url");
        } catch (JsonBody.NotAnObjectException e) {
            error(ctx, 400, e.getMessage(), List.of());
            return;
        }
        Map<String, Object> fields = new HashMap<>(body.getMap());
        if (fields.get("options") instanceof JsonObject options) {
            fields.put("options", options.getMap());
        }
        if (pathId != null) {
            Object bodyId = fields.getOrDefault("cameraId", fields.get("id"));
            if (bodyId != null && !pathId.equals(String.valueOf(bodyId))) {
                error(ctx, 400, "cameraId in the body differs from the path", List.of(
                        new CameraValidation.Problem("cameraId", "must be '" + pathId + "' or left out")));
                return;
            }
            fields.remove("id");
            fields.put("cameraId", pathId);
        }
        CameraConfig camera;
        try {
            camera = CameraSpecs.fromMap(fields, "camera");
        } catch (InvalidCameraException e) {
            error(ctx, 400, "invalid camera", e.problems());
            return;
        }
        boolean exists = directory.camera(camera.getCameraId()).isPresent();
        if (!replace && exists) {
            error(ctx, 409, "camera '" + camera.getCameraId() + "' exists; PUT /api/cameras/"
                    + camera.getCameraId() + " replaces it", List.of());
            return;
        }
        publish(ctx, camera.getCameraId(), camera, exists ? 200 : 201);
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (directory.camera(id).isEmpty()) {
            error(ctx, 404, "no camera '" + id + "'", List.of());
            return;
        }
        publish(ctx, id, null, 204);
    }

    private void publish(RoutingContext ctx, String id, CameraConfig camera, int status) {
        byte[] value = camera == null ? null
                : Topics.CAMERAS.valueSerde().serializer().serialize(Topics.CAMERAS.name(), camera);
        ctx.vertx().executeBlocking(() -> producer.send(new ProducerRecord<>(Topics.CAMERAS.name(),
                KafkaFrameSink.key(id), value)).get(15, TimeUnit.SECONDS)).onComplete(result -> {
            if (result.failed()) {
                error(ctx, 503, "could not write to Kafka: " + result.cause().getMessage(), List.of());
                return;
            }
            directory.written(id, camera);
            if (camera == null) {
                ctx.response().setStatusCode(status).end();
            } else {
                json(ctx, status, toJson(camera));
            }
        });
    }

    private JsonObject toJson(CameraConfig camera) {
        JsonObject options = new JsonObject();
        camera.getOptions().forEach((k, v) -> options.put(k, Redact.url(v)));
        JsonObject json = new JsonObject()
                .put("cameraId", camera.getCameraId())
                .put("name", camera.getName())
                .put("url", Redact.url(camera.getUrl()))
                .put("enabled", camera.getEnabled())
                .put("targetFps", camera.getTargetFps())
                .put("maxWidth", camera.getMaxWidth())
                .put("jpegQuality", camera.getJpegQuality())
                .put("rtspTransport", camera.getRtspTransport().name())
                .put("options", options)
                .put("updatedAt", camera.getUpdatedAt().toString());
        CameraWorker local = localWorkers.apply(camera.getCameraId());
        CameraStatus status = local != null ? local.status() : directory.status(camera.getCameraId()).orElse(null);
        if (status != null) {
            json.put("status", new JsonObject()
                    .put("state", status.getState().name())
                    .put("error", status.getError())
                    .put("instanceId", status.getInstanceId())
                    .put("since", status.getSince().toString())
                    .put("fps", status.getFps())
                    .put("reconnects", status.getReconnects())
                    .put("lastFrameSeq", status.getLastFrameSeq()));
        }
        return json;
    }

    private static void error(RoutingContext ctx, int status, String message, List<CameraValidation.Problem> problems) {
        JsonArray list = new JsonArray();
        problems.forEach(p -> list.add(new JsonObject().put("field", p.field()).put("message", p.message())));
        JsonObject body = new JsonObject().put("error", message);
        if (!problems.isEmpty()) {
            body.put("problems", list);
        }
        json(ctx, status, body);
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
