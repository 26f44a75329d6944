package io.strix.aggregator.rules;

import static io.strix.aggregator.rules.GeometryTest.polygon;
import static io.strix.aggregator.rules.RuleFixtures.CAMERA;
import static io.strix.aggregator.rules.RuleFixtures.filter;
import static io.strix.aggregator.rules.RuleFixtures.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strix.schema.Alert;
import io.strix.schema.AlertPhase;
import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.RuleSet;
import io.strix.schema.RuleType;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Restarts and replays: the engine's output depends on its input alone. */
class RuleEngineRestoreTest {
    private record Step(RuleSet rules, TrackSnapshot snapshot) {
    }

    private static RuleSet rulesVersion(long version, double zoneBShift) {
        Zone a = new Zone("a", "Platform", polygon(0.1, 0.1, 0.5, 0.1, 0.5, 0.5, 0.1, 0.5), true, true, filter(2, 0));
        Zone b = new Zone("b", "Yard", polygon(0.5 + zoneBShift, 0.5, 0.9, 0.5, 0.9, 0.9, 0.5 + zoneBShift, 0.9), true,
                false, filter(2, 0.5f, "person"));
        return new RuleSet(CAMERA, version, List.of(a, b),
                List.of(line("any", 0.1, 0.7, 0.9, 0.3, CrossingDirection.ANY, filter(1, 0)),
                        line("down", 0.6, 0.1, 0.6, 0.9, CrossingDirection.LEFT_TO_RIGHT, filter(0, 0, "car"))),
                List.of(new DwellRule("loiter", "a", 3f, filter(2, 0))),
                List.of(new CountRule("crowd", "b", 2, 1f, filter(1, 0))),
                RuleFixtures.EPOCH);
    }

    /** Objects wandering with momentum, sometimes hidden for a moment; the rules change once, midway. */
    private static List<Step> scenario(long seed) {
        Random random = new Random(seed);
        int objects = 9;
        double[] x = new double[objects];
        double[] y = new double[objects];
        double[] vx = new double[objects];
        double[] vy = new double[objects];
        for (int i = 0; i < objects; i++) {
            x[i] = random.nextDouble();
            y[i] = random.nextDouble();
        }
        List<Step> steps = new ArrayList<>();
        RuleSet first = rulesVersion(1, 0);
        RuleSet second = rulesVersion(2, 0.1);
        long seq = 100;
        for (long t = 0; t < 150_000; t += 150 + random.nextInt(100)) {
            List<Track> tracks = new ArrayList<>();
            for (int i = 0; i < objects; i++) {
                vx[i] = 0.9 * vx[i] + 0.05 * random.nextGaussian();
                vy[i] = 0.9 * vy[i] + 0.05 * random.nextGaussian();
                x[i] = Math.min(1, Math.max(0, x[i] + vx[i] * 0.2));
                y[i] = Math.min(1, Math.max(0.15, y[i] + vy[i] * 0.2));
                if (random.nextDouble() < 0.1) {
                    continue;
                }
                tracks.add(RuleFixtures.at(i + 1, i % 3 == 0 ? "car" : "person", 0.3 + 0.7 * random.nextDouble(), x[i], y[i]));
            }
            steps.add(new Step(t < 70_000 ? first : second, RuleFixtures.snapshot(seq++, t, tracks)));
        }
        return steps;
    }

    private static List<Alert> runStraight(List<Step> steps) {
        RuleEngine engine = new RuleEngine(CAMERA, RuleEngineConfig.defaults());
        List<Alert> alerts = new ArrayList<>();
        steps.forEach(step -> alerts.addAll(engine.process(step.rules(), step.snapshot())));
        return alerts;
    }

    private final List<Step> steps = scenario(17);

    @Test
    void scenarioExercisesEveryRuleTypeAndPhase() {
        List<Alert> alerts = runStraight(steps);
        System.out.printf("rule engine scenario: %d snapshots, %d alerts: %s%n", steps.size(), alerts.size(),
                alerts.stream().collect(java.util.stream.Collectors.groupingBy(
                        alert -> alert.getRuleType() + "/" + alert.getPhase(), java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())));
        assertThat(alerts).extracting(Alert::getRuleType)
                .contains(RuleType.ZONE_ENTER, RuleType.ZONE_EXIT, RuleType.LINE_CROSSING, RuleType.LOITERING, RuleType.COUNT);
        assertThat(alerts).extracting(Alert::getPhase).contains(AlertPhase.STARTED, AlertPhase.UPDATED, AlertPhase.ENDED);
        assertThat(alerts).extracting(Alert::getMessage).anySatisfy(message -> assertThat(message).endsWith("(rule changed)"));
    }

    @Test
    void everyIncidentStartsOnceAndEndsAtMostOnce() {
        List<Alert> alerts = runStraight(steps);
        java.util.Map<String, List<AlertPhase>> phases = new java.util.LinkedHashMap<>();
        alerts.forEach(alert -> phases.computeIfAbsent(alert.getIncidentId(), id -> new ArrayList<>()).add(alert.getPhase()));
        phases.forEach((id, list) -> {
            assertThat(list.get(0)).as(id).isEqualTo(AlertPhase.STARTED);
            assertThat(list.subList(1, list.size())).as(id).doesNotContain(AlertPhase.STARTED);
            assertThat(list.indexOf(AlertPhase.ENDED)).as(id).isIn(-1, list.size() - 1);
        });
    }

    @Test
    void replayingTheSameInputGivesTheSameAlerts() {
        assertThat(runStraight(steps)).isEqualTo(runStraight(steps)).isNotEmpty();
    }

    @Test
    void engineRestoredMidStreamEmitsExactlyTheSameAlerts() {
        List<Alert> expected = runStraight(steps);
        for (int cut : new int[] {1, 50, 333, 460, steps.size() - 1}) {
            RuleEngine engine = new RuleEngine(CAMERA, RuleEngineConfig.defaults());
            List<Alert> alerts = new ArrayList<>();
            for (Step step : steps.subList(0, cut)) {
                alerts.addAll(engine.process(step.rules(), step.snapshot()));
            }
            RuleEngine restored = RuleEngine.fromBytes(engine.toBytes(), RuleEngineConfig.defaults());
            for (Step step : steps.subList(cut, steps.size())) {
                alerts.addAll(restored.process(step.rules(), step.snapshot()));
            }
            assertThat(alerts).as("restored after step %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void engineRestoredAfterEverySnapshotEmitsExactlyTheSameAlerts() {
        List<Alert> expected = runStraight(steps);
        RuleEngine engine = new RuleEngine(CAMERA, RuleEngineConfig.defaults());
        List<Alert> alerts = new ArrayList<>();
        for (Step step : steps) {
            engine = RuleEngine.fromBytes(engine.toBytes(), RuleEngineConfig.defaults());
            alerts.addAll(engine.process(step.rules(), step.snapshot()));
        }
        assertThat(alerts).isEqualTo(expected);
    }

    @Test
    void replayedSnapshotsAfterARestartEmitNothingTwice() {
        RuleEngine engine = new RuleEngine(CAMERA, RuleEngineConfig.defaults());
        steps.subList(0, 400).forEach(step -> engine.process(step.rules(), step.snapshot()));
        RuleEngine restored = RuleEngine.fromBytes(engine.toBytes(), RuleEngineConfig.defaults());
        for (Step step : steps.subList(300, 400)) {
            assertThat(restored.process(step.rules(), step.snapshot())).isEmpty();
        }
        assertThat(restored.toBytes()).isEqualTo(engine.toBytes());
    }

    @Test
    void rejectsStateOfUnknownVersionOrTruncated() {
        RuleEngine engine = new RuleEngine(CAMERA, RuleEngineConfig.defaults());
        steps.subList(0, 100).forEach(step -> engine.process(step.rules(), step.snapshot()));
        byte[] bytes = engine.toBytes();
        assertThat(bytes[0]).isEqualTo(RuleEngineCodec.VERSION);
        byte[] future = bytes.clone();
        future[0] = 42;
        assertThatThrownBy(() -> RuleEngine.fromBytes(future, RuleEngineConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 42");
        assertThatThrownBy(() -> RuleEngine.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length / 2),
                RuleEngineConfig.defaults())).isInstanceOf(IllegalArgumentException.class);
    }
}
