package io.strix.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Resolved settings of one command. Precedence: command-line flag, then environment variable {@code STRIX_*}, then
 * the optional config file ({@code --config FILE} or {@code STRIX_CONFIG}: .properties or YAML), then the default.
 */
public final class Config {
    /** The config file itself; it can only come from a flag or the environment. */
    public static final ConfigKey<Path> CONFIG_FILE = ConfigKey.path("config", null,
            "Optional settings file (.properties, .yaml or .yml) with keys as named in this table.");

    private final Map<String, Object> values;
    private final Map<String, String> sources;

    private Config(Map<String, Object> values, Map<String, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /**
     * @param flags values given on the command line, by key name
     * @param env   the process environment
     */
    public static Config resolve(Collection<ConfigKey<?>> keys, Map<String, String> flags, Map<String, String> env) {
        Map<String, String> file = Map.of();
        String fileName = flags.getOrDefault(CONFIG_FILE.name(), env.get(CONFIG_FILE.envName()));
        if (fileName != null) {
            file = readFile(Path.of(fileName));
        }
        Map<String, Object> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        for (ConfigKey<?> key : keys) {
            String raw;
            String source;
            if (flags.containsKey(key.name())) {
                raw = flags.get(key.name());
                source = "flag " + key.flag();
            } else if (env.containsKey(key.envName())) {
                raw = env.get(key.envName());
                source = "environment variable " + key.envName();
            } else if (file.containsKey(key.name())) {
                raw = file.get(key.name());
                source = "key " + key.name() + " in " + fileName;
            } else {
                if (key.required()) {
                    throw new ConfigException("Missing setting: give " + key.flag() + " or set " + key.envName()
                            + " (" + key.doc() + ")");
                }
                if (key.defaultValue() != null) {
                    values.put(key.name(), key.defaultValue());
                    sources.put(key.name(), "default");
                }
                continue;
            }
            try {
                values.put(key.name(), key.parser().apply(raw));
            } catch (RuntimeException e) {
                throw new ConfigException("Bad value for " + source + ": " + e.getMessage() + " (expected "
                        + key.type() + ")");
            }
            sources.put(key.name(), source);
        }
        return new Config(values, sources);
    }

    /** Settings from defaults and the given flags only; for tests and embedded use. */
    public static Config of(Collection<ConfigKey<?>> keys, Map<String, String> flags) {
        return resolve(keys, flags, Map.of());
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        // A key this command did not declare still answers its default.
        return (T) values.getOrDefault(key.name(), key.defaultValue());
    }

    public <T> Optional<T> find(ConfigKey<T> key) {
        return Optional.ofNullable(get(key));
    }

    /** Where a setting came from ("flag --port", "default", ...), for start-up logs. */
    public String source(ConfigKey<?> key) {
        return sources.getOrDefault(key.name(), "unset");
    }

    static Map<String, String> readFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("Config file " + path + " does not exist");
        }
        String name = path.getFileName().toString();
        try {
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                try (Reader reader = Files.newBufferedReader(path)) {
                    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
                    Map<String, String> flat = new LinkedHashMap<>();
                    if (root != null) {
                        if (!(root instanceof Map<?, ?> map)) {
                            throw new ConfigException("Config file " + path + " must hold a YAML mapping");
                        }
                        flatten("", map, flat);
                    }
                    return flat;
                }
            }
            if (name.endsWith(".properties")) {
                Properties props = new Properties();
                try (InputStream in = Files.newInputStream(path)) {
                    props.load(in);
                }
                Map<String, String> map = new LinkedHashMap<>();
                props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
                return map;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("Cannot read config file " + path + ": " + e.getMessage());
        }
        throw new ConfigException("Config file " + path + " must end in .properties, .yaml or .yml");
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (e.getValue() instanceof List<?> list) {
                out.put(key, String.join("\n", list.stream().map(String::valueOf).toList()));
            } else if (e.getValue() != null) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }
}
