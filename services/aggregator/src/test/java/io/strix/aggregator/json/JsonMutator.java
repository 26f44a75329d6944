package io.strix.aggregator.json;

import io.strix.wire.Mutator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of valid JSON messages for fuzz tests: byte-level ones (see {@link Mutator}) that mostly break
 * the syntax, and structural ones that keep it valid but put a value of another type, an absurd number, a huge
 * string, deep nesting or an unknown field where a field was. {@link #lastMutation()} says what was done.
 */
public final class JsonMutator {
    private final Mutator bytes;
    private final Random random;
    private String lastMutation = "";

    public JsonMutator(long seed) {
        this.bytes = new Mutator(seed);
        this.random = bytes.random();
    }

    public String lastMutation() {
        return lastMutation;
    }

    /** One mutation of one of the {@code seeds}. */
    public String mutate(List<String> seeds) {
        String seed = seeds.get(random.nextInt(seeds.size()));
        int kind = random.nextInt(10);
        if (kind < 3) {
            List<byte[]> others = seeds.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
            String out = new String(bytes.mutate(seed.getBytes(StandardCharsets.UTF_8), others),
                    StandardCharsets.UTF_8);
            lastMutation = "bytes: " + bytes.lastMutation();
            return out;
        }
        if (kind == 3) {
            lastMutation = "random text";
            return new String(bytes.randomBytes(200), StandardCharsets.ISO_8859_1);
        }
        Object tree = new JsonObject(seed);
        StringBuilder what = new StringBuilder("structure:");
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            tree = replaceSomewhere(tree, what);
        }
        lastMutation = what.toString();
        return tree instanceof JsonObject o ? o.encode() : tree instanceof JsonArray a ? a.encode()
                : String.valueOf(oddValue(what));
    }

    /** Replaces one node of the tree (the root included) with an odd value, and returns the tree. */
    private Object replaceSomewhere(Object node, StringBuilder what) {
        List<Object> containers = new ArrayList<>();
        collect(node, containers);
        if (containers.isEmpty() || random.nextInt(20) == 0) {
            what.append(" root replaced;");
            return oddValue(what);
        }
        Object container = containers.get(random.nextInt(containers.size()));
        if (container instanceof JsonObject object) {
            List<String> keys = new ArrayList<>(object.fieldNames());
            if (keys.isEmpty() || random.nextInt(5) == 0) {
                String key = random.nextBoolean() ? "unknownField" : "";
                what.append(" field '").append(key).append("' added;");
                object.put(key, oddValue(what));
            } else {
                String key = keys.get(random.nextInt(keys.size()));
                if (random.nextInt(4) == 0) {
                    what.append(" field '").append(key).append("' removed;");
                    object.remove(key);
                } else {
                    what.append(" field '").append(key).append("' set to");
                    object.put(key, oddValue(what));
                }
            }
        } else if (container instanceof JsonArray array) {
            if (array.isEmpty() || random.nextInt(4) == 0) {
                what.append(" array item added:");
                array.add(oddValue(what));
            } else {
                int at = random.nextInt(array.size());
                what.append(" array item ").append(at).append(" set to");
                array.set(at, oddValue(what));
            }
        }
        return node;
    }

    private static void collect(Object node, List<Object> containers) {
        if (node instanceof JsonObject object) {
            containers.add(object);
            object.forEach(e -> collect(e.getValue(), containers));
        } else if (node instanceof JsonArray array) {
            containers.add(array);
            array.forEach(item -> collect(item, containers));
        }
    }

    private Object oddValue(StringBuilder what) {
        Object value = switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> Long.MAX_VALUE;
            case 4 -> -1e308 * 10;
            case 5 -> Double.MAX_VALUE;
            case 6 -> new java.math.BigDecimal("1e400");
            case 7 -> "";
            case 8 -> "x".repeat(random.nextInt(100_000));
            case 9 -> "\u0000\uFFFF\uD800";
            case 10 -> new JsonArray();
            case 11 -> new JsonObject();
            case 12 -> nested(1 + random.nextInt(200)); // the tests send deeper text of their own
            case 13 -> -0.0;
            case 14 -> new JsonArray().add(1).add("a").addNull().add(new JsonObject().put("x", 1));
            default -> random.nextDouble() * 4 - 2;
        };
        what.append(' ').append(value instanceof String s && s.length() > 20 ? "a string of " + s.length()
                : value instanceof JsonArray || value instanceof JsonObject ? shorten(String.valueOf(value))
                : String.valueOf(value)).append(';');
        return value;
    }

    private static Object nested(int depth) {
        JsonArray root = new JsonArray();
        JsonArray current = root;
        for (int i = 1; i < depth; i++) {
            JsonArray next = new JsonArray();
            current.add(next);
            current = next;
        }
        return root;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
