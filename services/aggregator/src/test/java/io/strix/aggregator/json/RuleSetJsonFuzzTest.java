package io.strix.aggregator.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.aggregator.rules.KnownClasses;
import io.strix.aggregator.rules.RuleSetValidator;
import io.strix.schema.RuleSet;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes what {@code /api/rules} does with a request body: parse it as a JSON object, read it with
 * {@link RuleSetJson}, validate it. Each seeded input either is refused with the typed errors the API turns into a
 * 400 (not JSON: {@link DecodeException}; wrong fields: {@link RuleSetJson.InvalidJsonException}; nonsense rules:
 * the validator's problems, each naming its field) or is a valid rule set; never another exception (a 500), never a
 * hang. The seed is printed; {@code -Dstrix.fuzz.seed=N} replays a run.
 */
class RuleSetJsonFuzzTest {
    private static final long SEED = Long.getLong("strix.fuzz.seed", 20261127L);
    private static final int INPUTS = Integer.getInteger("strix.fuzz.inputs", 5_000);
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final List<String> SEEDS = List.of("""
            {"cameraId": "cam-1",
             "zones": [{"id": "door", "name": "Door", "alertOnEnter": true, "alertOnExit": false,
                        "polygon": [{"x": 0.4, "y": 0.4}, {"x": 0.8, "y": 0.4}, {"x": 0.8, "y": 0.8}, {"x": 0.4, "y": 0.8}],
                        "filter": {"classes": ["person"], "minConfidence": 0.5, "cooldownSeconds": 10}}],
             "lines": [{"id": "gate", "name": "Gate", "a": {"x": 0.3, "y": 0.5}, "b": {"x": 0.3, "y": 1.0},
                        "direction": "LEFT_TO_RIGHT", "filter": {"classes": ["car", "truck"]}}],
             "dwellRules": [{"id": "loiter", "zoneId": "door", "minDwellSeconds": 60, "filter": {}}],
             "countRules": [{"id": "crowd", "zoneId": "door", "minCount": 5, "forSeconds": 10, "filter": {}}]}
            """, """
            {"cameraId": "cam-2", "version": 4, "updatedAt": 1764244800123,
             "zones": [{"id": "z", "polygon": [{"x": 0.1, "y": 0.1}, {"x": 0.5, "y": 0.1}, {"x": 0.5, "y": 0.5}]}]}
            """, """
            {"cameraId": "cam-3", "zones": [], "lines": [], "dwellRules": [], "countRules": []}
            """);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard, not a speed test: the run takes seconds
    void ruleSetBodiesAreReadOrRefusedWithProblemsNamingTheirFields() {
        System.err.printf("RuleSetJsonFuzzTest: seed %d, %d inputs (-Dstrix.fuzz.seed=%d to replay)%n", SEED, INPUTS,
                SEED);
        RuleSetValidator validator = new RuleSetValidator(KnownClasses.resolve(List.of("coco")));
        JsonMutator mutator = new JsonMutator(SEED);
        int[] outcomes = new int[4];
        for (int i = 0; i < INPUTS; i++) {
            String body = i == 0 ? "[".repeat(100_000) : i == 1 ? "{\"zones\": " + "[".repeat(100_000)
                    : mutator.mutate(SEEDS);
            String what = "seed " + SEED + ", input " + i + " (" + mutator.lastMutation() + "): "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
            outcomes[readAsTheApiDoes(body, validator, what)]++;
        }
        System.err.printf("RuleSetJsonFuzzTest: %d not JSON objects, %d with wrong fields, %d invalid rules, %d valid%n",
                outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
        assertThat(outcomes[1]).isPositive();
        assertThat(outcomes[2]).isPositive();
        assertThat(outcomes[3]).isPositive();
    }

    /** 0: not a JSON object, 1: fields of the wrong type or unknown, 2: rules that do not validate, 3: valid. */
    private static int readAsTheApiDoes(String body, RuleSetValidator validator, String what) {
        try {
            JsonObject json;
            try {
                json = new JsonObject(body);
            } catch (DecodeException | ClassCastException notAnObject) {
                return 0;
            }
            RuleSet rules;
            try {
                rules = RuleSetJson.read(json, 1, NOW);
            } catch (RuleSetJson.InvalidJsonException e) {
                assertThat(e.problems()).as(what).isNotEmpty().allSatisfy(p -> assertThat(p).contains(": "));
                return 1;
            }
            List<String> problems = validator.validate(rules);
            if (!problems.isEmpty()) {
                assertThat(problems).as(what).allSatisfy(p -> assertThat(p).contains(": "));
                return 2;
            }
            return 3;
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(what + ": " + e + " would be a 500", e);
        }
    }
}
