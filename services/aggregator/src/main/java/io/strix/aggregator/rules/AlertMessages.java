package io.strix.aggregator.rules;

import io.strix.schema.CrossingDirection;
import io.strix.schema.RuleType;
import java.util.Locale;

/** The readable message of each alert, e.g. {@code 2 objects (car, person) entered zone 'Loading bay'}. */
final class AlertMessages {
    private AlertMessages() {
    }

    static String started(IncidentState state, CompiledRule rule, long now) {
        String name = quote(rule.displayName());
        return switch (state.type) {
            case ZONE_ENTER -> objects(state.current.size(), state) + " entered zone " + name;
            case ZONE_EXIT -> objects(state.trackIds.size(), state) + " left zone " + name;
            case LINE_CROSSING -> objects(state.trackIds.size(), state) + " crossed line " + name
                    + direction(rule.line().direction());
            case LOITERING -> objects(state.current.size(), state) + " stayed in zone " + name + " for "
                    + seconds(rule.minDwellMillis()) + " or more";
            case COUNT -> objects(state.current.size(), state) + " in zone " + name + (rule.holdMillis() > 0
                    ? " for " + seconds(rule.holdMillis()) : "") + "; the rule asks for at least " + rule.minCount();
            default -> describe(state, rule.displayName(), now);
        };
    }

    static String updated(IncidentState state, CompiledRule rule, long now) {
        String name = quote(rule.displayName());
        // Class names are those of every object so far, so they are left out of counts of the objects there now.
        String objectsNow = plural(state.current.size(), "object");
        return switch (state.type) {
            case ZONE_ENTER -> objectsNow + " in zone " + name + " now, " + state.trackIds.size() + " since it started "
                    + seconds(now - state.startedMillis) + " ago";
            case ZONE_EXIT -> plural(state.eventCount, "exit") + " from zone " + name + " by "
                    + plural(state.trackIds.size(), "object") + " so far";
            case LINE_CROSSING -> plural(state.eventCount, "crossing") + " of line " + name
                    + direction(rule.line().direction()) + " by " + plural(state.trackIds.size(), "object") + " so far";
            case LOITERING -> objectsNow + " loitering in zone " + name + " now, " + state.trackIds.size() + " so far";
            case COUNT -> objectsNow + " in zone " + name + " now, peak " + state.peakCount;
            default -> describe(state, rule.displayName(), now);
        };
    }

    static String ended(IncidentState state, String displayName, long now) {
        String name = quote(displayName);
        String after = seconds(now - state.startedMillis);
        String over = seconds(state.lastEventMillis - state.startedMillis);
        return switch (state.type) {
            case ZONE_ENTER -> "zone " + name + " is clear after " + after + "; " + plural(state.trackIds.size(), "object")
                    + " were in it";
            case ZONE_EXIT -> plural(state.eventCount, "exit") + " from zone " + name + " by "
                    + plural(state.trackIds.size(), "object") + " over " + over;
            case LINE_CROSSING -> plural(state.eventCount, "crossing") + " of line " + name + " by "
                    + plural(state.trackIds.size(), "object") + " over " + over;
            case LOITERING -> "nobody loitering in zone " + name + " any more after " + after + "; "
                    + plural(state.trackIds.size(), "object") + " loitered";
            case COUNT -> "count in zone " + name + " back under the limit after " + after + "; peak " + state.peakCount;
            default -> "incident of rule " + quote(state.ruleId) + " ended after " + after;
        };
    }

    static String describe(IncidentState state, String displayName, long now) {
        return state.type + " incident of " + quote(displayName) + ", open for " + seconds(now - state.startedMillis)
                + ", " + plural(state.trackIds.size(), "object") + " involved";
    }

    /** The rule type as it appears in incident ids, e.g. {@code zone-enter}. */
    static String slug(RuleType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** "person" for one object of a known class, otherwise "3 objects (car, person)". */
    private static String objects(int count, IncidentState state) {
        String classes = String.join(", ", state.classNames);
        if (count == 1 && state.classNames.size() == 1) {
            return classes;
        }
        return plural(count, "object") + (classes.isEmpty() ? "" : " (" + classes + ")");
    }

    private static String direction(CrossingDirection direction) {
        return switch (direction) {
            case ANY -> "";
            case LEFT_TO_RIGHT -> " left to right";
            case RIGHT_TO_LEFT -> " right to left";
        };
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String quote(String name) {
        return "'" + name + "'";
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
