package io.strix.aggregator.json;

import io.strix.common.redact.Redact;
import io.strix.schema.Alert;
import io.strix.schema.Box;
import io.strix.schema.CameraConfig;
import io.strix.schema.CameraStatus;
import io.strix.schema.CountRule;
import io.strix.schema.DwellRule;
import io.strix.schema.FrameRef;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * JSON views of Strix records, as the REST API and the WebSocket gateway send them (docs/websocket-api.md). Times
 * are epoch milliseconds; boxes are {@code [x, y, w, h]} in normalized coordinates; URLs are redacted.
 */
public final class WireJson {
    private WireJson() {
    }

    public static JsonObject tracks(TrackSnapshot snapshot) {
        FrameRef frame = snapshot.getFrame();
        JsonArray tracks = new JsonArray();
        for (Track track : snapshot.getTracks()) {
            tracks.add(new JsonObject()
                    .put("id", track.getTrackId())
                    .put("classId", track.getClassId())
                    .put("cls", track.getClassName())
                    .put("conf", round(track.getConfidence(), 3))
                    .put("box", box(track.getBox()))
                    .put("vx", round(track.getVelocityX(), 4))
                    .put("vy", round(track.getVelocityY(), 4))
                    .put("ageMs", track.getAgeMs())
                    // Coasting: predicted from its motion, not seen on this frame.
                    .put("lost", track.getLastSeenFrameSeq() < frame.getFrameSeq()));
        }
        return new JsonObject()
                .put("type", "tracks")
                .put("cameraId", frame.getCameraId())
                .put("frameSeq", frame.getFrameSeq())
                .put("captureTime", millis(frame.getCaptureTime()))
                .put("frame", frame(frame))
                .put("tracks", tracks);
    }

    public static JsonObject alert(Alert alert) {
        return new JsonObject()
                .put("type", "alert")
                .put("incidentId", alert.getIncidentId())
                .put("phase", alert.getPhase().name())
                .put("cameraId", alert.getCameraId())
                .put("ruleId", alert.getRuleId())
                .put("ruleType", alert.getRuleType().name())
                .put("classNames", new JsonArray(alert.getClassNames().stream().map(Object::toString).toList()))
                .put("trackIds", new JsonArray(alert.getTrackIds()))
                .put("firstFrame", frame(alert.getFirstFrame()))
                .put("lastFrame", frame(alert.getLastFrame()))
                .put("count", alert.getCount())
                .put("message", alert.getMessage())
                .put("emittedAt", millis(alert.getEmittedAt()));
    }

    public static JsonObject status(CameraStatus status) {
        return new JsonObject()
                .put("type", "status")
                .put("cameraId", status.getCameraId())
                .put("state", status.getState().name())
                .put("url", Redact.url(status.getUrl()))
                .put("error", status.getError() == null ? null : Redact.url(status.getError()))
                .put("instanceId", status.getInstanceId())
                .put("since", millis(status.getSince()))
                .put("reconnects", status.getReconnects())
                .put("fps", round(status.getFps(), 2))
                .put("lastFrameSeq", status.getLastFrameSeq())
                .put("lastFrameTime", status.getLastFrameTime() == null ? null : millis(status.getLastFrameTime()))
                .put("updatedAt", millis(status.getUpdatedAt()));
    }

    /** A camera of the registry, without its URL (a dashboard has no use for it and it may hold credentials). */
    public static JsonObject camera(String cameraId, CameraConfig config) {
        return new JsonObject()
                .put("cameraId", cameraId)
                .put("name", config == null ? null : config.getName())
                .put("enabled", config == null ? null : config.getEnabled())
                .put("targetFps", config == null ? null : round(config.getTargetFps(), 2))
                .put("registered", config != null);
    }

    public static JsonObject ruleSet(RuleSet rules) {
        JsonArray zones = new JsonArray();
        for (Zone zone : rules.getZones()) {
            JsonArray polygon = new JsonArray();
            zone.getPolygon().forEach(p -> polygon.add(point(p)));
            zones.add(new JsonObject().put("id", zone.getId()).put("name", zone.getName()).put("polygon", polygon)
                    .put("alertOnEnter", zone.getAlertOnEnter()).put("alertOnExit", zone.getAlertOnExit())
                    .put("filter", filter(zone.getFilter())));
        }
        JsonArray lines = new JsonArray();
        for (Line line : rules.getLines()) {
            lines.add(new JsonObject().put("id", line.getId()).put("name", line.getName())
                    .put("a", point(line.getA())).put("b", point(line.getB()))
                    .put("direction", line.getDirection().name()).put("filter", filter(line.getFilter())));
        }
        JsonArray dwell = new JsonArray();
        for (DwellRule rule : rules.getDwellRules()) {
            dwell.add(new JsonObject().put("id", rule.getId()).put("zoneId", rule.getZoneId())
                    .put("minDwellSeconds", round(rule.getMinDwellSeconds(), 3)).put("filter", filter(rule.getFilter())));
        }
        JsonArray count = new JsonArray();
        for (CountRule rule : rules.getCountRules()) {
            count.add(new JsonObject().put("id", rule.getId()).put("zoneId", rule.getZoneId())
                    .put("minCount", rule.getMinCount()).put("forSeconds", round(rule.getForSeconds(), 3))
                    .put("filter", filter(rule.getFilter())));
        }
        return new JsonObject()
                .put("cameraId", rules.getCameraId())
                .put("version", rules.getVersion())
                .put("updatedAt", millis(rules.getUpdatedAt()))
                .put("zones", zones)
                .put("lines", lines)
                .put("dwellRules", dwell)
                .put("countRules", count);
    }

    public static JsonObject frame(FrameRef frame) {
        return new JsonObject()
                .put("cameraId", frame.getCameraId())
                .put("frameSeq", frame.getFrameSeq())
                .put("captureTime", millis(frame.getCaptureTime()))
                .put("partition", frame.getPartition())
                .put("offset", frame.getOffset());
    }

    private static JsonObject filter(RuleFilter filter) {
        return new JsonObject()
                .put("classes", new JsonArray(filter.getClasses().stream().map(Object::toString).toList()))
                .put("minConfidence", round(filter.getMinConfidence(), 4))
                .put("cooldownSeconds", round(filter.getCooldownSeconds(), 3));
    }

    private static JsonObject point(Point p) {
        return new JsonObject().put("x", round(p.getX(), 6)).put("y", round(p.getY(), 6));
    }

    private static JsonArray box(Box box) {
        return new JsonArray().add(round(box.getX(), 5)).add(round(box.getY(), 5)).add(round(box.getW(), 5))
                .add(round(box.getH(), 5));
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    /** Floats as short decimals: {@code 0.1f} is sent as 0.1, not 0.10000000149011612. */
    private static double round(float value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
