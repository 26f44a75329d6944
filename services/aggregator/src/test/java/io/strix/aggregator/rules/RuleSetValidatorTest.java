package io.strix.aggregator.rules;

import static io.strix.aggregator.rules.GeometryTest.polygon;
import static org.assertj.core.api.Assertions.assertThat;

import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Zone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetValidatorTest {
    private final RuleSetValidator validator = new RuleSetValidator(List.of("person", "car", "bicycle"));

    private static RuleFilter filter(String... classes) {
        return new RuleFilter(List.of(classes), 0.5f, 10f);
    }

    private static Zone zone(String id, List<Point> polygon) {
        return new Zone(id, "", polygon, true, false, filter("person"));
    }

    private static RuleSet rules(List<Zone> zones, List<Line> lines, List<DwellRule> dwell, List<CountRule> count) {
        return new RuleSet("cam-1", 1L, zones, lines, dwell, count, Instant.EPOCH);
    }

    private static RuleSet valid() {
        return rules(
                List.of(zone("door", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5, 0.1, 0.5)),
                        zone("yard", polygon(0.5, 0.5, 0.9, 0.5, 0.7, 0.9))),
                List.of(new Line("gate", "Gate", new Point(0.5f, 0f), new Point(0.5f, 1f), CrossingDirection.LEFT_TO_RIGHT,
                        filter())),
                List.of(new DwellRule("loiter", "door", 30f, filter("person"))),
                List.of(new CountRule("crowd", "yard", 5, 10f, filter("person", "bicycle"))));
    }

    @Test
    void acceptsValidRuleSet() {
        assertThat(validator.validate(valid())).isEmpty();
    }

    @Test
    void rejectsPolygonWithTwoPoints() {
        RuleSet rules = rules(List.of(zone("door", polygon(0.1, 0.1, 0.4, 0.1))), List.of(), List.of(), List.of());
        assertThat(validator.validate(rules)).containsExactly("zones[0].polygon: has 2 points, needs at least 3");
    }

    @Test
    void rejectsSelfIntersectingPolygonNamingTheEdges() {
        RuleSet rules = rules(List.of(zone("door", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5, 0.1, 0.5)),
                zone("bowtie", polygon(0, 0, 1, 1, 1, 0, 0, 1))), List.of(), List.of(), List.of());
        assertThat(validator.validate(rules)).singleElement().asString()
                .startsWith("zones[1].polygon: edges 0 and 2 intersect");
    }

    @Test
    void rejectsPointsOutsideTheFrame() {
        RuleSet rules = rules(List.of(zone("door", polygon(0.1, 0.1, 1.2, 0.1, 0.4, 0.5))), List.of(), List.of(), List.of());
        assertThat(validator.validate(rules)).containsExactly(
                "zones[0].polygon[1]: (1.2, 0.1) is outside the frame; coordinates are fractions of the frame, 0-1");
    }

    @Test
    void rejectsRepeatedPointsAndFlatPolygons() {
        RuleSet rules = rules(List.of(zone("a", polygon(0.1, 0.1, 0.1, 0.1, 0.4, 0.5)),
                zone("b", polygon(0.1, 0.1, 0.2, 0.2, 0.3, 0.3))), List.of(), List.of(), List.of());
        assertThat(validator.validate(rules)).hasSize(2)
                .anySatisfy(error -> assertThat(error).isEqualTo("zones[0].polygon: points 0 and 1 are the same point"))
                .anySatisfy(error -> assertThat(error).startsWith("zones[1].polygon: edges"));
    }

    @Test
    void rejectsUnknownClassNamesListingTheKnownOnes() {
        RuleSet rules = rules(List.of(new Zone("door", "", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5), true, false,
                filter("person", "dragon"))), List.of(), List.of(), List.of());
        assertThat(validator.validate(rules)).containsExactly(
                "zones[0].filter.classes[1]: unknown class 'dragon'; known classes: bicycle, car, person");
        assertThat(RuleSetValidator.acceptingAnyClass().validate(rules)).isEmpty();
    }

    @Test
    void rejectsConfidenceOutsideZeroToOneAndNegativeCooldown() {
        RuleSet rules = rules(List.of(new Zone("door", "", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5), true, false,
                new RuleFilter(List.of(), 1.5f, -1f))), List.of(), List.of(), List.of());
        assertThat(validator.validate(rules)).containsExactly(
                "zones[0].filter.minConfidence: must be within 0-1, was 1.5",
                "zones[0].filter.cooldownSeconds: must be a number of seconds >= 0, was -1");
    }

    @Test
    void rejectsDuplicateIdsAcrossZonesLinesAndRules() {
        RuleSet base = valid();
        List<Line> lines = new ArrayList<>(base.getLines());
        lines.add(new Line("door", "", new Point(0f, 0f), new Point(1f, 1f), CrossingDirection.ANY, filter()));
        List<Zone> zones = new ArrayList<>(base.getZones());
        zones.add(zone("yard", polygon(0.5, 0.5, 0.9, 0.5, 0.7, 0.9)));
        assertThat(validator.validate(rules(zones, lines, base.getDwellRules(), base.getCountRules()))).containsExactly(
                "zones[2].id: 'yard' is already the id of zones[1]; ids must be unique among a camera's zones, lines and rules",
                "lines[1].id: 'door' is already the id of zones[0]; ids must be unique among a camera's zones, lines and rules");
    }

    @Test
    void rejectsRulesReferringToMissingZones() {
        RuleSet rules = rules(List.of(zone("door", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5))), List.of(),
                List.of(new DwellRule("loiter", "lobby", 30f, filter())),
                List.of(new CountRule("crowd", "", 3, 0f, filter())));
        assertThat(validator.validate(rules)).containsExactly(
                "dwellRules[0].zoneId: no zone has id 'lobby'; zones: door",
                "countRules[0].zoneId: must name a zone");
    }

    @Test
    void rejectsNonsenseDurationsAndCounts() {
        RuleSet rules = rules(List.of(zone("door", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5))), List.of(),
                List.of(new DwellRule("loiter", "door", 0f, filter())),
                List.of(new CountRule("crowd", "door", 0, Float.NaN, filter())));
        assertThat(validator.validate(rules)).containsExactly(
                "dwellRules[0].minDwellSeconds: must be a number of seconds > 0, was 0",
                "countRules[0].minCount: must be at least 1, was 0",
                "countRules[0].forSeconds: must be a number of seconds >= 0, was not a number");
    }

    @Test
    void rejectsLineWhoseEndsCoincide() {
        RuleSet rules = rules(List.of(), List.of(new Line("gate", "", new Point(0.5f, 0.5f), new Point(0.5f, 0.5f),
                CrossingDirection.ANY, filter())), List.of(), List.of());
        assertThat(validator.validate(rules)).containsExactly(
                "lines[0]: a and b are the same point, so there is no line to cross");
    }

    @Test
    void rejectsEmptyIdsAndCameraId() {
        RuleSet rules = new RuleSet("", 1L, List.of(zone("", polygon(0.1, 0.1, 0.4, 0.1, 0.4, 0.5))), List.of(),
                List.of(), List.of(), Instant.EPOCH);
        assertThat(validator.validate(rules)).containsExactly("cameraId: must not be empty", "zones[0].id: must not be empty");
    }
}
