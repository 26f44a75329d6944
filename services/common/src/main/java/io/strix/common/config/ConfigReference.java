package io.strix.common.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the configuration reference table (docs/configuration.md) from the keys themselves. */
public final class ConfigReference {
    private ConfigReference() {
    }

    /**
     * @param keysByCommand each command's keys, in display order
     */
    public static String markdown(Map<String, ? extends Collection<ConfigKey<?>>> keysByCommand) {
        // A key shared by several commands gets one row that lists them all.
        Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        keysByCommand.forEach((command, list) -> list.forEach(key -> {
            keys.putIfAbsent(key.name(), key);
            commands.computeIfAbsent(key.name(), k -> new java.util.ArrayList<>()).add(command);
        }));
        StringBuilder s = new StringBuilder();
        s.append("| flag | environment | file key | type | default | commands | meaning |\n");
        s.append("|---|---|---|---|---|---|---|\n");
        keys.values().forEach(key -> s.append("| `").append(key.flag()).append("` | `").append(key.envName())
                .append("` | `").append(key.name())
                .append("` | ").append(key.type().replace("|", "\\|")).append(" | ")
                .append(key.defaultText().replace("|", "\\|")).append(" | ")
                .append(String.join(", ", commands.get(key.name()))).append(" | ")
                .append(key.doc().replace("|", "\\|")).append(" |\n"));
        return s.toString();
    }
}
