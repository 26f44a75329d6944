package io.strix.aggregator.rules;

import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.RuleType;
import io.strix.schema.Zone;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One alerting rule of a {@link RuleSet}, flattened: a zone gives up to two (enter, exit), a line one, each dwell and
 * count rule one. The fingerprint covers what decides the rule's outcome, so that a changed rule ends its open
 * incident while a renamed one does not.
 */
record CompiledRule(String key, String ruleId, RuleType type, long fingerprint, String displayName,
                    Set<String> classes, float minConfidence, long cooldownMillis,
                    ZoneShape zone, LineShape line, long minDwellMillis, int minCount, long holdMillis) {

    /** A zone's outline, with a fingerprint of the outline alone. */
    record ZoneShape(String id, String name, List<Point> polygon, long fingerprint) {
        static ZoneShape of(Zone zone) {
            return new ZoneShape(zone.getId(), zone.getName() == null || zone.getName().isBlank() ? zone.getId() : zone.getName(),
                    List.copyOf(zone.getPolygon()), hash64(String.valueOf(zone.getPolygon())));
        }
    }

    /** A line to cross, with a fingerprint of its end points alone. */
    record LineShape(String id, String name, Point a, Point b, CrossingDirection direction, long fingerprint) {
        static LineShape of(Line line) {
            return new LineShape(line.getId(), line.getName() == null || line.getName().isBlank() ? line.getId() : line.getName(),
                    line.getA(), line.getB(), line.getDirection() == null ? CrossingDirection.ANY : line.getDirection(),
                    hash64(line.getA() + "" + line.getB()));
        }
    }

    /** The rules in the order alerts are evaluated: zones (enter, then exit), lines, dwell rules, count rules. */
    record Compiled(List<CompiledRule> rules, Map<String, ZoneShape> zones, Map<String, LineShape> lines) {
    }

    static Compiled compile(RuleSet rules) {
        List<CompiledRule> compiled = new ArrayList<>();
        Map<String, ZoneShape> zones = new LinkedHashMap<>();
        Map<String, LineShape> lines = new LinkedHashMap<>();
        if (rules == null) {
            return new Compiled(compiled, zones, lines);
        }
        for (Zone zone : orEmpty(rules.getZones())) {
            ZoneShape shape = ZoneShape.of(zone);
            zones.putIfAbsent(shape.id(), shape);
            String definition = zone.getPolygon() + "|" + zone.getFilter();
            if (zone.getAlertOnEnter()) {
                compiled.add(of(RuleType.ZONE_ENTER, zone.getId(), definition, shape.name(), zone.getFilter(), shape, null, 0, 0, 0));
            }
            if (zone.getAlertOnExit()) {
                compiled.add(of(RuleType.ZONE_EXIT, zone.getId(), definition, shape.name(), zone.getFilter(), shape, null, 0, 0, 0));
            }
        }
        for (Line line : orEmpty(rules.getLines())) {
            LineShape shape = LineShape.of(line);
            lines.putIfAbsent(shape.id(), shape);
            compiled.add(of(RuleType.LINE_CROSSING, line.getId(), line.getA() + "|" + line.getB() + "|" + shape.direction()
                    + "|" + line.getFilter(), shape.name(), line.getFilter(), null, shape, 0, 0, 0));
        }
        for (DwellRule rule : orEmpty(rules.getDwellRules())) {
            ZoneShape zone = zones.get(rule.getZoneId());
            if (zone != null) {
                compiled.add(of(RuleType.LOITERING, rule.getId(), zone.polygon() + "|" + rule, zone.name(), rule.getFilter(),
                        zone, null, seconds(rule.getMinDwellSeconds()), 0, 0));
            }
        }
        for (CountRule rule : orEmpty(rules.getCountRules())) {
            ZoneShape zone = zones.get(rule.getZoneId());
            if (zone != null) {
                compiled.add(of(RuleType.COUNT, rule.getId(), zone.polygon() + "|" + rule, zone.name(), rule.getFilter(),
                        zone, null, 0, Math.max(1, rule.getMinCount()), seconds(rule.getForSeconds())));
            }
        }
        return new Compiled(compiled, zones, lines);
    }

    private static CompiledRule of(RuleType type, String ruleId, String definition, String displayName, RuleFilter filter,
                                   ZoneShape zone, LineShape line, long minDwellMillis, int minCount, long holdMillis) {
        Set<String> classes = filter == null ? Set.of() : Set.copyOf(orEmpty(filter.getClasses()));
        float minConfidence = filter == null ? 0 : filter.getMinConfidence();
        long cooldown = filter == null ? 0 : seconds(filter.getCooldownSeconds());
        return new CompiledRule(type + "/" + ruleId, ruleId, type, hash64(type + "|" + definition), displayName,
                classes, minConfidence, cooldown, zone, line, minDwellMillis, minCount, holdMillis);
    }

    /** Whether a track counts for this rule: its voted class passes the filter and it was ever seen confidently. */
    boolean matches(TrackMemory track) {
        return (classes.isEmpty() || classes.contains(track.className)) && track.peakConfidence >= minConfidence;
    }

    private static long seconds(float seconds) {
        return Float.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000.0) : 0;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** 64-bit FNV-1a: stable across JVMs and runs, unlike identity hashes. */
    static long hash64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
