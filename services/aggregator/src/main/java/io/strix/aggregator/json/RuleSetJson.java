package io.strix.aggregator.json;

import io.strix.schema.CountRule;
import io.strix.schema.CrossingDirection;
import io.strix.schema.DwellRule;
import io.strix.schema.Line;
import io.strix.schema.Point;
import io.strix.schema.RuleFilter;
import io.strix.schema.RuleSet;
import io.strix.schema.Zone;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Reads a {@link RuleSet} from the JSON that {@link WireJson#ruleSet} writes, reporting every type error with the
 * path of its field ({@code zones[0].polygon[2].x: must be a number}). Optional fields take the schema's defaults;
 * unknown fields are errors, so a typo is not silently ignored. Whether the rules make sense (polygons, ids, zone
 * references) is {@code RuleSetValidator}'s job.
 */
public final class RuleSetJson {
    private static final Set<String> RULE_SET_FIELDS = Set.of("cameraId", "version", "updatedAt", "zones", "lines",
            "dwellRules", "countRules");
    private static final Set<String> ZONE_FIELDS = Set.of("id", "name", "polygon", "alertOnEnter", "alertOnExit",
            "filter");
    private static final Set<String> LINE_FIELDS = Set.of("id", "name", "a", "b", "direction", "filter");
    private static final Set<String> DWELL_FIELDS = Set.of("id", "zoneId", "minDwellSeconds", "filter");
    private static final Set<String> COUNT_FIELDS = Set.of("id", "zoneId", "minCount", "forSeconds", "filter");
    private static final Set<String> FILTER_FIELDS = Set.of("classes", "minConfidence", "cooldownSeconds");
    private static final Set<String> POINT_FIELDS = Set.of("x", "y");

    /** The JSON does not describe a rule set; {@link #problems()} say where and why, one per field. */
    public static final class InvalidJsonException extends RuntimeException {
        private final List<String> problems;

        InvalidJsonException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        /** Each {@code "path: message"}. */
        public List<String> problems() {
            return problems;
        }
    }

    private final List<String> problems = new ArrayList<>();

    private RuleSetJson() {
    }

    /**
     * @param version   the version to give the rule set (the server counts them, not the client)
     * @param updatedAt when it was written
     * @throws InvalidJsonException naming every field of the wrong type or unknown
     */
    public static RuleSet read(JsonObject json, long version, Instant updatedAt) {
        RuleSetJson reader = new RuleSetJson();
        RuleSet rules = reader.ruleSet(json, version, updatedAt);
        if (!reader.problems.isEmpty()) {
            throw new InvalidJsonException(reader.problems);
        }
        return rules;
    }

    private RuleSet ruleSet(JsonObject json, long version, Instant updatedAt) {
        unknownFields(json, "", RULE_SET_FIELDS);
        return new RuleSet(string(json, "", "cameraId", null), version,
                objects(json, "", "zones", this::zone), objects(json, "", "lines", this::line),
                objects(json, "", "dwellRules", this::dwellRule), objects(json, "", "countRules", this::countRule),
                updatedAt);
    }

    private Zone zone(JsonObject json, String path) {
        unknownFields(json, path, ZONE_FIELDS);
        return new Zone(string(json, path, "id", null), string(json, path, "name", ""),
                list(json, path, "polygon", this::point), bool(json, path, "alertOnEnter", true),
                bool(json, path, "alertOnExit", false), filter(json, path));
    }

    private Line line(JsonObject json, String path) {
        unknownFields(json, path, LINE_FIELDS);
        CrossingDirection direction = CrossingDirection.ANY;
        Object raw = json.getValue("direction");
        if (raw != null) {
            try {
                direction = CrossingDirection.valueOf(String.valueOf(raw));
            } catch (IllegalArgumentException e) {
                problems.add(path + ".direction: '" + raw + "' is not one of "
                        + String.join(", ", Arrays.stream(CrossingDirection.values()).map(Enum::name).toList()));
            }
        }
        return new Line(string(json, path, "id", null), string(json, path, "name", ""),
                object(json, path, "a", this::point), object(json, path, "b", this::point), direction,
                filter(json, path));
    }

    private DwellRule dwellRule(JsonObject json, String path) {
        unknownFields(json, path, DWELL_FIELDS);
        return new DwellRule(string(json, path, "id", null), string(json, path, "zoneId", null),
                required(json, path, "minDwellSeconds"), filter(json, path));
    }

    private CountRule countRule(JsonObject json, String path) {
        unknownFields(json, path, COUNT_FIELDS);
        Float minCount = number(json, path, "minCount", null);
        if (minCount != null && minCount != Math.rint(minCount)) {
            problems.add(path + ".minCount: must be a whole number, was " + json.getValue("minCount"));
        }
        return new CountRule(string(json, path, "id", null), string(json, path, "zoneId", null),
                minCount == null ? 0 : (int) (float) minCount, number(json, path, "forSeconds", 0f),
                filter(json, path));
    }

    private RuleFilter filter(JsonObject parent, String parentPath) {
        Object raw = parent.getValue("filter");
        String path = parentPath + ".filter";
        if (raw == null) {
            return new RuleFilter(List.of(), 0f, 10f);
        }
        if (!(raw instanceof JsonObject json)) {
            problems.add(path + ": must be an object");
            return new RuleFilter(List.of(), 0f, 10f);
        }
        unknownFields(json, path, FILTER_FIELDS);
        return new RuleFilter(list(json, path, "classes", (value, p) -> {
            if (value instanceof String s) {
                return s;
            }
            problems.add(p + ": must be a string");
            return "";
        }), number(json, path, "minConfidence", 0f), number(json, path, "cooldownSeconds", 10f));
    }

    private Point point(Object value, String path) {
        if (!(value instanceof JsonObject json)) {
            problems.add(path + ": must be an object {\"x\": ..., \"y\": ...}");
            return null;
        }
        unknownFields(json, path, POINT_FIELDS);
        Float x = number(json, path, "x", null);
        Float y = number(json, path, "y", null);
        return x == null || y == null ? null : new Point(x, y);
    }

    private <T> T object(JsonObject json, String path, String field, BiFunction<Object, String, T> reader) {
        Object value = json.getValue(field);
        if (value == null) {
            // Left to the validator, which says what is missing in its own words.
            return null;
        }
        return reader.apply(value, path + "." + field);
    }

    private <T> List<T> list(JsonObject json, String path, String field, BiFunction<Object, String, T> item) {
        Object value = json.getValue(field);
        String fieldPath = path.isEmpty() ? field : path + "." + field;
        if (value == null) {
            return new ArrayList<>();
        }
        if (!(value instanceof JsonArray array)) {
            problems.add(fieldPath + ": must be an array");
            return new ArrayList<>();
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            items.add(item.apply(array.getValue(i), fieldPath + "[" + i + "]"));
        }
        return items;
    }

    private <T> List<T> objects(JsonObject json, String path, String field, ObjectReader<T> reader) {
        return list(json, path, field, (value, itemPath) -> {
            if (value instanceof JsonObject object) {
                return reader.read(object, itemPath);
            }
            problems.add(itemPath + ": must be an object");
            return null;
        });
    }

    private String string(JsonObject json, String path, String field, String fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return s;
        }
        problems.add(join(path, field) + ": must be a string, was " + value);
        return fallback;
    }

    private boolean bool(JsonObject json, String path, String field, boolean fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        problems.add(join(path, field) + ": must be true or false, was " + value);
        return fallback;
    }

    /** A number that must be there; 0 stands in for it when it is not (and the problem is reported). */
    private float required(JsonObject json, String path, String field) {
        Float value = number(json, path, field, null);
        return value == null ? 0f : value;
    }

    /** A number, or {@code fallback} when absent; a required one ({@code fallback} null) is reported missing. */
    private Float number(JsonObject json, String path, String field, Float fallback) {
        Object value = json.getValue(field);
        if (value == null) {
            if (fallback == null) {
                problems.add(join(path, field) + ": missing");
            }
            return fallback;
        }
        if (value instanceof Number n) {
            return n.floatValue();
        }
        problems.add(join(path, field) + ": must be a number, was " + (value instanceof String ? "'" + value + "'"
                : value));
        return fallback;
    }

    private void unknownFields(JsonObject json, String path, Set<String> known) {
        for (String name : json.fieldNames()) {
            if (!known.contains(name)) {
                problems.add(join(path, name) + ": unknown field; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    @FunctionalInterface
    private interface ObjectReader<T> {
        T read(JsonObject json, String path);
    }
}
