package io.strix.aggregator.rules;

import io.strix.schema.CountRule;
import io.strix.schema.DwellRule;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Zone;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a camera's {@link RuleSet} before it is accepted, and says what is wrong in terms a user can act on, each
 * message naming the field, e.g. {@code zones[1].polygon: edges 0 and 2 intersect}.
 */
public final class RuleSetValidator {
    private final Set<String> knownClasses;

    /**
     * @param knownClasses the class names the detector's model knows; class filters may only name these
     */
    public RuleSetValidator(Collection<String> knownClasses) {
        this.knownClasses = knownClasses == null ? null : Set.copyOf(knownClasses);
    }

    /** A validator that accepts any class name, for when the model's classes are not known. */
    public static RuleSetValidator acceptingAnyClass() {
        return new RuleSetValidator(null);
    }

    /** Every problem found, in field order; empty when the rule set is valid. */
    public List<String> validate(RuleSet rules) {
        List<String> errors = new ArrayList<>();
        if (rules == null) {
            errors.add("rule set: missing");
            return errors;
        }
        if (rules.getCameraId() == null || rules.getCameraId().isBlank()) {
            errors.add("cameraId: must not be empty");
        }
        Map<String, String> idOwners = new HashMap<>();
        Set<String> zoneIds = new HashSet<>();
        List<Zone> zones = orEmpty(rules.getZones());
        for (int i = 0; i < zones.size(); i++) {
            String path = "zones[" + i + "]";
            Zone zone = zones.get(i);
            if (zone == null) {
                errors.add(path + ": missing");
                continue;
            }
            checkId(zone.getId(), path, idOwners, errors);
            if (zone.getId() != null) {
                zoneIds.add(zone.getId());
            }
            checkPolygon(zone.getPolygon(), path + ".polygon", errors);
            checkFilter(zone.getFilter(), path + ".filter", errors);
        }
        List<Line> lines = orEmpty(rules.getLines());
        for (int i = 0; i < lines.size(); i++) {
            String path = "lines[" + i + "]";
            Line line = lines.get(i);
            if (line == null) {
                errors.add(path + ": missing");
                continue;
            }
            checkId(line.getId(), path, idOwners, errors);
            boolean aValid = checkPoint(line.getA(), path + ".a", errors);
            boolean bValid = checkPoint(line.getB(), path + ".b", errors);
            if (aValid && bValid && line.getA().getX() == line.getB().getX() && line.getA().getY() == line.getB().getY()) {
                errors.add(path + ": a and b are the same point, so there is no line to cross");
            }
            if (line.getDirection() == null) {
                errors.add(path + ".direction: missing; one of ANY, LEFT_TO_RIGHT, RIGHT_TO_LEFT");
            }
            checkFilter(line.getFilter(), path + ".filter", errors);
        }
        List<DwellRule> dwellRules = orEmpty(rules.getDwellRules());
        for (int i = 0; i < dwellRules.size(); i++) {
            String path = "dwellRules[" + i + "]";
            DwellRule rule = dwellRules.get(i);
            if (rule == null) {
                errors.add(path + ": missing");
                continue;
            }
            checkId(rule.getId(), path, idOwners, errors);
            checkZoneReference(rule.getZoneId(), path, zoneIds, errors);
            double dwell = rule.getMinDwellSeconds();
            if (!(dwell > 0) || Double.isInfinite(dwell)) {
                errors.add(path + ".minDwellSeconds: must be a number of seconds > 0, was " + format(dwell));
            }
            checkFilter(rule.getFilter(), path + ".filter", errors);
        }
        List<CountRule> countRules = orEmpty(rules.getCountRules());
        for (int i = 0; i < countRules.size(); i++) {
            String path = "countRules[" + i + "]";
            CountRule rule = countRules.get(i);
            if (rule == null) {
                errors.add(path + ": missing");
                continue;
            }
            checkId(rule.getId(), path, idOwners, errors);
            checkZoneReference(rule.getZoneId(), path, zoneIds, errors);
            if (rule.getMinCount() < 1) {
                errors.add(path + ".minCount: must be at least 1, was " + rule.getMinCount());
            }
            double forSeconds = rule.getForSeconds();
            if (!(forSeconds >= 0) || Double.isInfinite(forSeconds)) {
                errors.add(path + ".forSeconds: must be a number of seconds >= 0, was " + format(forSeconds));
            }
            checkFilter(rule.getFilter(), path + ".filter", errors);
        }
        return errors;
    }

    private static void checkId(String id, String path, Map<String, String> owners, List<String> errors) {
        if (id == null || id.isBlank()) {
            errors.add(path + ".id: must not be empty");
            return;
        }
        String owner = owners.putIfAbsent(id, path);
        if (owner != null) {
            errors.add(path + ".id: '" + id + "' is already the id of " + owner
                    + "; ids must be unique among a camera's zones, lines and rules");
        }
    }

    private static void checkZoneReference(String zoneId, String path, Set<String> zoneIds, List<String> errors) {
        if (zoneId == null || zoneId.isBlank()) {
            errors.add(path + ".zoneId: must name a zone");
        } else if (!zoneIds.contains(zoneId)) {
            errors.add(path + ".zoneId: no zone has id '" + zoneId + "'"
                    + (zoneIds.isEmpty() ? "; this camera has no zones" : "; zones: " + String.join(", ", new TreeSet<>(zoneIds))));
        }
    }

    private static void checkPolygon(List<Point> polygon, String path, List<String> errors) {
        if (polygon == null || polygon.size() < 3) {
            errors.add(path + ": has " + (polygon == null ? 0 : polygon.size()) + " points, needs at least 3");
            return;
        }
        boolean pointsValid = true;
        for (int i = 0; i < polygon.size(); i++) {
            pointsValid &= checkPoint(polygon.get(i), path + "[" + i + "]", errors);
        }
        if (!pointsValid) {
            return;
        }
        for (int i = 0; i < polygon.size(); i++) {
            int next = (i + 1) % polygon.size();
            Point p = polygon.get(i);
            Point q = polygon.get(next);
            if (p.getX() == q.getX() && p.getY() == q.getY()) {
                errors.add(path + ": points " + Math.min(i, next) + " and " + Math.max(i, next) + " are the same point");
                return;
            }
        }
        Optional<int[]> crossing = Geometry.firstSelfIntersection(polygon);
        if (crossing.isPresent()) {
            errors.add(path + ": edges " + crossing.get()[0] + " and " + crossing.get()[1]
                    + " intersect; edge i runs from point i to the next, and a zone's outline must not cross itself");
            return;
        }
        if (Geometry.doubledArea(polygon) == 0) {
            errors.add(path + ": has no area (all points on one line)");
        }
    }

    private static boolean checkPoint(Point point, String path, List<String> errors) {
        if (point == null) {
            errors.add(path + ": missing");
            return false;
        }
        float x = point.getX();
        float y = point.getY();
        if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
            errors.add(path + ": (" + format(x) + ", " + format(y)
                    + ") is outside the frame; coordinates are fractions of the frame, 0-1");
            return false;
        }
        return true;
    }

    private void checkFilter(RuleFilter filter, String path, List<String> errors) {
        if (filter == null) {
            errors.add(path + ": missing");
            return;
        }
        List<String> classes = orEmpty(filter.getClasses());
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            if (name == null || name.isBlank()) {
                errors.add(path + ".classes[" + i + "]: must not be empty");
            } else if (knownClasses != null && !knownClasses.contains(name)) {
                errors.add(path + ".classes[" + i + "]: unknown class '" + name + "'; known classes: "
                        + (knownClasses.isEmpty() ? "none" : String.join(", ", new TreeSet<>(knownClasses))));
            }
        }
        double minConfidence = filter.getMinConfidence();
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            errors.add(path + ".minConfidence: must be within 0-1, was " + format(minConfidence));
        }
        double cooldown = filter.getCooldownSeconds();
        if (!(cooldown >= 0) || Double.isInfinite(cooldown)) {
            errors.add(path + ".cooldownSeconds: must be a number of seconds >= 0, was " + format(cooldown));
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "not a number";
        }
        return value == Math.rint(value) && !Double.isInfinite(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%s", (float) value);
    }
}
