package io.strix.camsim.scenario;

import io.strix.camsim.truth.ObjectClass;
import io.strix.camsim.world.Layout;
import io.strix.camsim.world.Weather;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a scenario file (YAML, or JSON, which YAML reads too). Every key is optional and starts from a built-in
 * scenario ({@code base}, default street); see docs/camsim.md for the format. Mistakes are reported with the file,
 * the key and what was expected.
 */
public final class ScenarioFile {
    private static final Set<String> TOP = Set.of("name", "base", "layout", "time", "weather", "traffic", "parked",
            "standing", "crossing", "jaywalk", "camera", "effects");
    private static final Set<String> CAMERA = Set.of("height", "fov", "view");
    private static final Set<String> EFFECTS = Set.of("noise", "blur", "shake", "distractors");

    private final String source;

    private ScenarioFile(String source) {
        this.source = source;
    }

    public static Scenario read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario file " + path + ": " + e.getMessage());
        }
        String file = path.getFileName().toString();
        String name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        return parse(text, path.toString(), name);
    }

    /** Parses scenario text; source names it in error messages, defaultName is used when it has no name. */
    public static Scenario parse(String text, String source, String defaultName) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ScenarioException("scenario file " + source + " is not valid YAML or JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            root = Map.of();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ScenarioException("scenario file " + source + " must hold a mapping of keys (name, layout, time,"
                    + " ...), not " + describe(root));
        }
        return new ScenarioFile(source).scenario(map, defaultName);
    }

    private Scenario scenario(Map<?, ?> map, String defaultName) {
        checkKeys(map, TOP, "");
        String baseName = map.containsKey("base") ? string(map.get("base"), "base") : "street";
        Scenario base = Scenarios.builtin(baseName);
        if (base == null) {
            throw error("base", "one of " + String.join(", ", Scenarios.NAMES), map.get("base"));
        }
        String name = map.containsKey("name") ? string(map.get("name"), "name") : defaultName;
        List<Layout.Kind> layouts = map.containsKey("layout") ? layouts(map.get("layout")) : base.layouts();
        double[] hours = map.containsKey("time") ? range(map.get("time"), "time", 0, 48)
                : new double[]{base.hourMin(), base.hourMax()};
        Map<Weather, Double> weather = map.containsKey("weather") ? weather(map.get("weather")) : base.weather();
        Map<ObjectClass, Double> rates = new EnumMap<>(base.rates());
        if (map.containsKey("traffic")) {
            Map<?, ?> traffic = mapping(map.get("traffic"), "traffic");
            for (Map.Entry<?, ?> e : traffic.entrySet()) {
                ObjectClass c;
                try {
                    c = ObjectClass.parse(String.valueOf(e.getKey()));
                } catch (IllegalArgumentException ex) {
                    throw new ScenarioException("scenario file " + source + ": traffic." + e.getKey() + ": "
                            + ex.getMessage());
                }
                rates.put(c, number(e.getValue(), "traffic." + e.getKey(), 0, 1000));
            }
        }
        double parked = map.containsKey("parked") ? number(map.get("parked"), "parked", 0, 1) : base.parked();
        double standing = map.containsKey("standing") ? number(map.get("standing"), "standing", 0, 50)
                : base.standing();
        double crossing = map.containsKey("crossing") ? number(map.get("crossing"), "crossing", 0, 1)
                : base.crossing();
        double jaywalk = map.containsKey("jaywalk") ? number(map.get("jaywalk"), "jaywalk", 0, 1) : base.jaywalk();
        double[] height = base.cameraHeight();
        double[] fov = base.fov();
        Scenario.View view = base.view();
        if (map.containsKey("camera")) {
            Map<?, ?> camera = mapping(map.get("camera"), "camera");
            checkKeys(camera, CAMERA, "camera.");
            if (camera.containsKey("height")) {
                height = range(camera.get("height"), "camera.height", 2, 40);
            }
            if (camera.containsKey("fov")) {
                fov = range(camera.get("fov"), "camera.fov", 20, 120);
            }
            if (camera.containsKey("view")) {
                String v = string(camera.get("view"), "camera.view");
                try {
                    view = Scenario.View.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw error("camera.view", "along, across or any", v);
                }
            }
        }
        Effects effects = base.effects();
        if (map.containsKey("effects")) {
            Map<?, ?> fx = mapping(map.get("effects"), "effects");
            checkKeys(fx, EFFECTS, "effects.");
            effects = new Effects(
                    fx.containsKey("noise") ? number(fx.get("noise"), "effects.noise", 0, 5) : effects.noise(),
                    fx.containsKey("blur") ? number(fx.get("blur"), "effects.blur", 0, 1) : effects.blur(),
                    fx.containsKey("shake") ? number(fx.get("shake"), "effects.shake", 0, 60) : effects.shake(),
                    fx.containsKey("distractors") ? bool(fx.get("distractors"), "effects.distractors")
                            : effects.distractors());
        }
        return new Scenario(name, layouts, hours[0], hours[1], weather, rates, parked, standing, crossing, jaywalk,
                height, fov, view, effects);
    }

    private void checkKeys(Map<?, ?> map, Set<String> known, String prefix) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new ScenarioException("scenario file " + source + ": unknown key '" + prefix + key
                        + "'; known keys: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    private List<Layout.Kind> layouts(Object value) {
        List<Object> items = value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
        if (items.isEmpty()) {
            throw error("layout", "street, crossing or parking (or a list of them)", value);
        }
        List<Layout.Kind> kinds = new ArrayList<>();
        for (Object item : items) {
            try {
                kinds.add(Layout.Kind.valueOf(String.valueOf(item).strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw error("layout", "street, crossing or parking (or a list of them)", item);
            }
        }
        return kinds;
    }

    private Map<Weather, Double> weather(Object value) {
        Map<Weather, Double> weights = new LinkedHashMap<>();
        try {
            if (value instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    weights.put(Weather.parse(String.valueOf(e.getKey())),
                            number(e.getValue(), "weather." + e.getKey(), 0, 1000));
                }
            } else if (value instanceof List<?> list) {
                for (Object item : list) {
                    weights.put(Weather.parse(String.valueOf(item)), 1.0);
                }
            } else {
                weights.put(Weather.parse(String.valueOf(value)), 1.0);
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof ScenarioException se) {
                throw se;
            }
            throw new ScenarioException("scenario file " + source + ": weather: " + e.getMessage());
        }
        if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw error("weather", "at least one weather with a weight above 0", value);
        }
        return weights;
    }

    private double[] range(Object value, String key, double min, double max) {
        if (value instanceof List<?> list) {
            if (list.size() != 2) {
                throw error(key, "a number or a list [min, max] between " + fmt(min) + " and " + fmt(max), value);
            }
            double a = number(list.get(0), key, min, max);
            double b = number(list.get(1), key, min, max);
            if (b < a) {
                throw error(key, "[min, max] with min <= max", value);
            }
            return new double[]{a, b};
        }
        double v = number(value, key, min, max);
        return new double[]{v, v};
    }

    private double number(Object value, String key, double min, double max) {
        if (!(value instanceof Number n) || Double.isNaN(n.doubleValue())) {
            throw error(key, "a number between " + fmt(min) + " and " + fmt(max), value);
        }
        double v = n.doubleValue();
        if (v < min || v > max) {
            throw error(key, "a number between " + fmt(min) + " and " + fmt(max), value);
        }
        return v;
    }

    private boolean bool(Object value, String key) {
        if (!(value instanceof Boolean b)) {
            throw error(key, "true or false", value);
        }
        return b;
    }

    private String string(Object value, String key) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw error(key, "a text", value);
        }
        return s.strip();
    }

    private Map<?, ?> mapping(Object value, String key) {
        if (!(value instanceof Map<?, ?> m)) {
            throw error(key, "a mapping of keys", value);
        }
        return m;
    }

    private ScenarioException error(String key, String expected, Object got) {
        return new ScenarioException("scenario file " + source + ": " + key + ": expected " + expected + ", got "
                + describe(got));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list " + value;
        }
        return String.valueOf(value);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** A scenario that cannot be used, with a message that says why. */
    public static final class ScenarioException extends IllegalArgumentException {
        public ScenarioException(String message) {
            super(message);
        }
    }
}
