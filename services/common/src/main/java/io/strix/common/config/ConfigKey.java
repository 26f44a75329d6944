package io.strix.common.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One typed setting. Its name {@code bootstrap.servers} gives the flag {@code --bootstrap-servers}, the environment
 * variable {@code STRIX_BOOTSTRAP_SERVERS} and the key in a config file.
 *
 * @param defaultValue null when the key has no default (then it is optional unless {@code required})
 * @param secret       never printed: not in help defaults, not in logs
 */
public record ConfigKey<T>(String name, String type, Function<String, T> parser, T defaultValue, boolean required,
                           boolean secret, String doc, String flagName, String defaultLabel) {

    public ConfigKey {
        Objects.requireNonNull(name);
        if (!name.matches("[a-z][a-z0-9]*([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("Bad config key name: " + name);
        }
    }

    public ConfigKey(String name, String type, Function<String, T> parser, T defaultValue, boolean required,
                     boolean secret, String doc) {
        this(name, type, parser, defaultValue, required, secret, doc, null, null);
    }

    public ConfigKey(String name, String type, Function<String, T> parser, T defaultValue, boolean required,
                     boolean secret, String doc, String flagName) {
        this(name, type, parser, defaultValue, required, secret, doc, flagName, null);
    }

    /** The same key with a shorter flag than its name gives ({@code kafka.port} as {@code --port}). */
    public ConfigKey<T> withFlag(String flag) {
        return new ConfigKey<>(name, type, parser, defaultValue, required, secret, doc, flag, defaultLabel);
    }

    /**
     * The same key, its default shown as this text in help and docs: for defaults computed on each machine
     * ({@code HOST-PID}), which must not leak one machine's value into the docs.
     */
    public ConfigKey<T> withDefaultLabel(String label) {
        return new ConfigKey<>(name, type, parser, defaultValue, required, secret, doc, flagName, label);
    }

    public String flag() {
        return flagName != null ? flagName : "--" + name.replace('.', '-');
    }

    public String envName() {
        return "STRIX_" + name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    public String defaultText() {
        if (defaultLabel != null) {
            return defaultLabel;
        }
        if (secret) {
            return "(unset)";
        }
        if (defaultValue instanceof java.util.List<?> list && list.isEmpty()) {
            return "(none)";
        }
        if (defaultValue == null) {
            return required ? "(required)" : "(unset)";
        }
        return defaultValue instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(defaultValue);
    }

    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "string", s -> s, defaultValue, false, false, doc);
    }

    public static ConfigKey<String> secret(String name, String doc) {
        return new ConfigKey<>(name, "secret", s -> s, null, false, true, doc);
    }

    public static ConfigKey<Integer> integer(String name, Integer defaultValue, int min, int max, String doc) {
        return new ConfigKey<>(name, "int " + min + ".." + max, s -> {
            int value;
            try {
                value = Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not an integer");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
            }
            return value;
        }, defaultValue, false, false, doc);
    }

    /** A number in 0..1: a score threshold, a fraction. */
    public static ConfigKey<Float> fraction(String name, float defaultValue, String doc) {
        return new ConfigKey<>(name, "number 0..1", s -> {
            float value;
            try {
                value = Float.parseFloat(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a number");
            }
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(value + " is outside 0..1");
            }
            return value;
        }, defaultValue, false, false, doc);
    }

    public static <E extends Enum<E>> ConfigKey<E> choice(String name, Class<E> type, E defaultValue, String doc) {
        StringBuilder values = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            values.append(values.length() == 0 ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
        }
        return new ConfigKey<>(name, values.toString(), s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.strip())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("'" + s + "' is not one of " + values);
        }, defaultValue, false, false, doc);
    }

    /**
     * A key that may be given several times ({@code --camera a=... --camera b=...}); in the environment the values
     * are separated by newlines or ';', in a YAML file it is a list.
     */
    public static ConfigKey<java.util.List<String>> list(String name, String doc) {
        return new ConfigKey<>(name, "list", s -> java.util.Arrays.stream(s.split("[\n;]"))
                .map(String::strip).filter(v -> !v.isEmpty()).toList(), java.util.List.of(), false, false, doc);
    }

    public boolean repeatable() {
        return type.equals("list");
    }

    public static ConfigKey<java.nio.file.Path> path(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "path", java.nio.file.Path::of,
                defaultValue == null ? null : java.nio.file.Path.of(defaultValue), false, false, doc);
    }
}
