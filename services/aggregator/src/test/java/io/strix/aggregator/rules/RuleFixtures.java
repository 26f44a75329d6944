package io.strix.aggregator.rules;

import io.strix.schema.Alert;
import io.strix.schema.Box;
import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.FrameRef;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Track;
import io.strix.schema.TrackSnapshot;
import io.strix.schema.Zone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds rules and track snapshots for rule engine tests, and drives an engine through time. */
final class RuleFixtures {
    static final String CAMERA = "cam-1";
    static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    /** The square 0.25..0.75 in both axes. */
    static final List<Point> SQUARE = GeometryTest.polygon(0.25, 0.25, 0.75, 0.25, 0.75, 0.75, 0.25, 0.75);

    private RuleFixtures() {
    }

    /** A track whose anchor (bottom centre) is at {@code (footX, footY)}. */
    static Track at(long id, String className, double confidence, double footX, double footY) {
        // Binary fractions, so that a foot at 0.5 is exactly 0.5 after the float box round trip.
        double w = 0.0625;
        double h = 0.125;
        return new Track(id, className.equals("car") ? 2 : 0, className, (float) confidence,
                new Box((float) (footX - w / 2), (float) (footY - h), (float) w, (float) h), 0f, 0f, 0L, 0L);
    }

    static Track person(long id, double footX, double footY) {
        return at(id, "person", 0.9, footX, footY);
    }

    static TrackSnapshot snapshot(long seq, long millis, List<Track> tracks) {
        FrameRef frame = new FrameRef(CAMERA, seq, EPOCH.plusMillis(millis), 3, 1000 + seq);
        return new TrackSnapshot(frame, List.copyOf(tracks), EPOCH.plusMillis(millis));
    }

    static RuleFilter filter(float cooldownSeconds, float minConfidence, String... classes) {
        return new RuleFilter(List.of(classes), minConfidence, cooldownSeconds);
    }

    static Zone zone(String id, String name, boolean onEnter, boolean onExit, RuleFilter filter) {
        return new Zone(id, name, SQUARE, onEnter, onExit, filter);
    }

    static Line line(String id, double ax, double ay, double bx, double by, CrossingDirection direction, RuleFilter filter) {
        return new Line(id, "", new Point((float) ax, (float) ay), new Point((float) bx, (float) by), direction, filter);
    }

    static RuleSet rules(List<Zone> zones, List<Line> lines, List<DwellRule> dwell, List<CountRule> count) {
        return new RuleSet(CAMERA, 1L, zones, lines, dwell, count, EPOCH);
    }

    static RuleSet zones(Zone... zones) {
        return rules(List.of(zones), List.of(), List.of(), List.of());
    }

    /** An engine fed one snapshot at a time, with the frame sequence counted for you. */
    static final class Camera {
        RuleEngine engine;
        RuleSet rules;
        long seq;
        final List<Alert> all = new ArrayList<>();

        Camera(RuleSet rules) {
            this(rules, RuleEngineConfig.defaults());
        }

        Camera(RuleSet rules, RuleEngineConfig config) {
            this.engine = new RuleEngine(CAMERA, config);
            this.rules = rules;
        }

        List<Alert> at(long millis, Track... tracks) {
            List<Alert> alerts = engine.process(rules, snapshot(++seq, millis, List.of(tracks)));
            all.addAll(alerts);
            return alerts;
        }

        /** Snapshots every {@code stepMillis} from {@code from} (inclusive) to {@code to} (exclusive), same tracks. */
        List<Alert> during(long from, long to, long stepMillis, Track... tracks) {
            List<Alert> alerts = new ArrayList<>();
            for (long t = from; t < to; t += stepMillis) {
                alerts.addAll(at(t, tracks));
            }
            return alerts;
        }
    }
}
