package io.strix.aggregator.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strix.schema.CrossingDirection;
import io.strix.schema.RuleSet;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RuleSetJsonTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void readsWhatItWritesAndFillsInDefaults() {
        RuleSet rules = RuleSetJson.read(new JsonObject("""
                {"cameraId": "cam-1",
                 "zones": [{"id": "door", "polygon": [{"x": 0.1, "y": 0.1}, {"x": 0.5, "y": 0.1}, {"x": 0.5, "y": 0.5}]}],
                 "lines": [{"id": "gate", "a": {"x": 0, "y": 0.5}, "b": {"x": 1, "y": 0.5}, "direction": "LEFT_TO_RIGHT",
                            "filter": {"classes": ["car"], "minConfidence": 0.4, "cooldownSeconds": 3}}],
                 "dwellRules": [{"id": "loiter", "zoneId": "door", "minDwellSeconds": 30}],
                 "countRules": [{"id": "crowd", "zoneId": "door", "minCount": 3}]}
                """), 4, NOW);

        assertThat(rules.getVersion()).isEqualTo(4L);
        assertThat(rules.getUpdatedAt()).isEqualTo(NOW);
        assertThat(rules.getZones().get(0).getAlertOnEnter()).isTrue();
        assertThat(rules.getZones().get(0).getAlertOnExit()).isFalse();
        assertThat(rules.getZones().get(0).getName()).isEmpty();
        assertThat(rules.getZones().get(0).getFilter().getCooldownSeconds()).isEqualTo(10f);
        assertThat(rules.getLines().get(0).getDirection()).isEqualTo(CrossingDirection.LEFT_TO_RIGHT);
        assertThat(rules.getLines().get(0).getFilter().getClasses()).containsExactly("car");
        assertThat(rules.getCountRules().get(0).getForSeconds()).isZero();

        JsonObject written = WireJson.ruleSet(rules);
        assertThat(RuleSetJson.read(written, 4, NOW)).isEqualTo(rules);
        assertThat(written.getJsonArray("zones").getJsonObject(0).getJsonArray("polygon").getJsonObject(0)
                .getDouble("x")).isEqualTo(0.1);
    }

    @Test
    void namesEveryFieldOfTheWrongType() {
        RuleSetJson.InvalidJsonException e = catchThrowableOfType(RuleSetJson.InvalidJsonException.class,
                () -> RuleSetJson.read(new JsonObject("""
                        {"cameraId": 7, "zones": {"id": "z"},
                         "lines": [{"id": "l", "a": [0, 1], "b": {"x": 1, "y": 1, "z": 2}, "direction": "UP"}],
                         "countRules": [{"id": "c", "zoneId": "z", "minCount": 2.5, "filter": {"classes": [1]}}],
                         "dwellRules": [{"id": "d", "zoneId": "z"}, 3]}
                        """), 1, NOW));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "cameraId: must be a string, was 7",
                "zones: must be an array",
                "lines[0].a: must be an object {\"x\": ..., \"y\": ...}",
                "lines[0].b.z: unknown field; known: x, y",
                "lines[0].direction: 'UP' is not one of ANY, LEFT_TO_RIGHT, RIGHT_TO_LEFT",
                "countRules[0].minCount: must be a whole number, was 2.5",
                "countRules[0].filter.classes[0]: must be a string",
                "dwellRules[0].minDwellSeconds: missing",
                "dwellRules[1]: must be an object");
    }
}
