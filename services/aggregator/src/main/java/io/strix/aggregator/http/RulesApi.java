package io.strix.aggregator.http;

import io.strix.aggregator.gateway.CameraDirectory;
import io.strix.aggregator.json.RuleSetJson;
import io.strix.aggregator.json.WireJson;
import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.common.http.AdminServer;
import io.strix.common.http.JsonBody;
import io.strix.schema.RuleSet;
import io.strix.wire.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code /api/rules}: read, create, replace and delete a camera's {@link RuleSet}. Writes are validated here (a 400
 * names each wrong field) and go to strix.rules, the source of truth, from which every instance's topology and
 * dashboard take them; reads answer from what this instance has read of strix.rules, so any instance answers for
 * any camera. The server numbers the versions and stamps {@code updatedAt}.
 */
public final class RulesApi {
    private static final int MAX_BODY_BYTES = 256 * 1024;
    /** As CameraConfig documents camera ids. */
    private static final Pattern CAMERA_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final CameraDirectory directory;
    private final Producer<byte[], byte[]> producer;
    private final RuleSetValidator validator;
    private final Clock clock;

    public RulesApi(CameraDirectory directory, Producer<byte[], byte[]> producer, RuleSetValidator validator,
                    Clock clock) {
        this.directory = directory;
        this.producer = producer;
        this.validator = validator;
        this.clock = clock;
    }

    public void mount(Router router) {
        router.route("/api/rules*").handler(AdminServer.bodyHandler(MAX_BODY_BYTES));
        router.get("/api/rules").handler(this::list);
        router.get("/api/rules/:cameraId").handler(this::get);
        router.post("/api/rules").handler(ctx -> write(ctx, null, false));
        router.put("/api/rules/:cameraId").handler(ctx -> write(ctx, ctx.pathParam("cameraId"), true));
        router.delete("/api/rules/:cameraId").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        JsonArray rules = new JsonArray();
        directory.allRules().values().stream()
                .sorted(java.util.Comparator.comparing(RuleSet::getCameraId))
                .forEach(r -> rules.add(WireJson.ruleSet(r)));
        Answers.json(ctx, 200, new JsonObject().put("rules", rules));
    }

    private void get(RoutingContext ctx) {
        String cameraId = ctx.pathParam("cameraId");
        directory.rules(cameraId).ifPresentOrElse(r -> Answers.json(ctx, 200, WireJson.ruleSet(r)),
                () -> Answers.error(ctx, 404, "camera '" + cameraId + "' has no rules"));
    }

    private void write(RoutingContext ctx, String pathCameraId, boolean replace) {
        JsonObject body;
        try {
            body = JsonBody.object(ctx, "a rule set, {\"cameraId\": ..., \"zones\": [...], \"lines\": [...], "
                    + "\"dwellRules\": [...], \"countRules\": [...]}; see docs/alerts.md");
        } catch (JsonBody.NotAnObjectException e) {
            Answers.error(ctx, 400, e.getMessage());
            return;
        }
        Object bodyCamera = body.getValue("cameraId");
        if (pathCameraId != null) {
            if (bodyCamera != null && !pathCameraId.equals(bodyCamera)) {
                Answers.invalid(ctx, "cameraId in the body differs from the path",
                        List.of("cameraId: must be '" + pathCameraId + "' or left out"));
                return;
            }
            body = body.copy().put("cameraId", pathCameraId);
        }
        String cameraId = body.getValue("cameraId") instanceof String s ? s : null;
        if (cameraId == null || !CAMERA_ID.matcher(cameraId).matches()) {
            Answers.invalid(ctx, "invalid rule set", List.of("cameraId: "
                    + (body.getValue("cameraId") == null ? "missing" : "'" + body.getValue("cameraId") + "'")
                    + "; a camera id has 1-64 letters, digits, '.', '_' or '-'"));
            return;
        }
        RuleSet previous = directory.rules(cameraId).orElse(null);
        if (!replace && previous != null) {
            Answers.error(ctx, 409, "camera '" + cameraId + "' has rules; PUT /api/rules/" + cameraId
                    + " replaces them");
            return;
        }
        RuleSet rules;
        try {
            rules = RuleSetJson.read(body, previous == null ? 1 : previous.getVersion() + 1, clock.instant());
        } catch (RuleSetJson.InvalidJsonException e) {
            Answers.invalid(ctx, "invalid rule set", e.problems());
            return;
        }
        List<String> problems = validator.validate(rules);
        if (!problems.isEmpty()) {
            Answers.invalid(ctx, "invalid rule set", problems);
            return;
        }
        publish(ctx, cameraId, rules, previous == null ? 201 : 200);
    }

    private void delete(RoutingContext ctx) {
        String cameraId = ctx.pathParam("cameraId");
        if (directory.rules(cameraId).isEmpty()) {
            Answers.error(ctx, 404, "camera '" + cameraId + "' has no rules");
            return;
        }
        publish(ctx, cameraId, null, 204);
    }

    private void publish(RoutingContext ctx, String cameraId, RuleSet rules, int status) {
        byte[] value = rules == null ? null : Topics.RULES.valueSerde().serializer().serialize(Topics.RULES.name(), rules);
        ctx.vertx().executeBlocking(() -> producer.send(new ProducerRecord<>(Topics.RULES.name(),
                cameraId.getBytes(StandardCharsets.UTF_8), value)).get(15, TimeUnit.SECONDS), false)
                .onComplete(result -> {
                    if (result.failed()) {
                        Answers.error(ctx, 503, "could not write to Kafka: " + result.cause().getMessage());
                        return;
                    }
                    // Read-your-writes on this instance; the feed confirms it when it reads the record back.
                    directory.rules(cameraId, rules);
                    if (rules == null) {
                        ctx.response().setStatusCode(status).end();
                    } else {
                        Answers.json(ctx, status, WireJson.ruleSet(rules));
                    }
                });
    }
}
