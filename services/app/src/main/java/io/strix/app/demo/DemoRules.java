package io.strix.app.demo;

import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Zone;
import java.time.Instant;
import java.util.List;

/**
 * The demo's preset rules for each camera: a zone in the near half of the picture (people entering, loitering
 * there), a line across the road (vehicles crossing either way) and a crowd count, so alerts fire within a minute
 * on camsim's busy streets.
 */
final class DemoRules {
    private DemoRules() {
    }

    static RuleSet forCamera(String cameraId) {
        RuleFilter people = RuleFilter.newBuilder().setClasses(List.of("person")).setMinConfidence(0.3f)
                .setCooldownSeconds(15f).build();
        RuleFilter vehicles = RuleFilter.newBuilder().setClasses(List.of("car", "bus", "truck", "motorcycle", "bicycle"))
                .setMinConfidence(0.3f).setCooldownSeconds(5f).build();
        Zone near = Zone.newBuilder().setId("near-sidewalk").setName("Near side")
                .setPolygon(List.of(p(0.02f, 0.55f), p(0.6f, 0.55f), p(0.6f, 0.98f), p(0.02f, 0.98f)))
                .setAlertOnEnter(true).setFilter(people).build();
        Line road = Line.newBuilder().setId("road-line").setName("Across the road")
                .setA(p(0.05f, 0.5f)).setB(p(0.95f, 0.5f)).setDirection(CrossingDirection.ANY).setFilter(vehicles)
                .build();
        DwellRule loitering = DwellRule.newBuilder().setId("loitering").setZoneId("near-sidewalk")
                .setMinDwellSeconds(20f).setFilter(people).build();
        CountRule crowd = CountRule.newBuilder().setId("crowd").setZoneId("near-sidewalk").setMinCount(3)
                .setForSeconds(5f).setFilter(people).build();
        return RuleSet.newBuilder().setCameraId(cameraId).setVersion(1).setZones(List.of(near))
                .setLines(List.of(road)).setDwellRules(List.of(loitering)).setCountRules(List.of(crowd))
                .setUpdatedAt(Instant.now()).build();
    }

    private static Point p(float x, float y) {
        return Point.newBuilder().setX(x).setY(y).build();
    }
}
