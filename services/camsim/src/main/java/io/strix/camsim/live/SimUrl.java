package io.strix.camsim.live;

import io.strix.camsim.render.FrameSize;
import io.strix.camsim.scenario.Scenario;
import io.strix.camsim.scenario.Scenarios;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A simulated camera's address: {@code sim://SCENARIO?seed=N&fps=F&size=WxH}, SCENARIO a built-in scenario name, or
 * {@code sim:///path/to/scenario.yaml?...} for a scenario file. Every parameter is optional (seed 1, fps 5,
 * size 640x360). Bad addresses are rejected with a message that says what is wrong.
 */
public record SimUrl(String scenarioName, Scenario scenario, long seed, double fps, FrameSize size) {
    public static final String SCHEME = "sim://";
    private static final Set<String> PARAMETERS = Set.of("seed", "fps", "size");

    public static SimUrl parse(String url) {
        if (url == null || !url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new IllegalArgumentException("not a sim:// camera URL: '" + url
                    + "'; expected sim://SCENARIO?seed=N&fps=F&size=WxH");
        }
        String rest = url.substring(SCHEME.length());
        int q = rest.indexOf('?');
        String where = q < 0 ? rest : rest.substring(0, q);
        String query = q < 0 ? "" : rest.substring(q + 1);
        if (where.endsWith("/") && !where.startsWith("/")) {
            where = where.substring(0, where.length() - 1);
        }
        if (where.isEmpty()) {
            throw new IllegalArgumentException("sim:// URL '" + url + "' names no scenario; one of "
                    + String.join(", ", Scenarios.NAMES) + ", or sim:///path/to/scenario.yaml");
        }
        Scenario scenario;
        String name = URLDecoder.decode(where, StandardCharsets.UTF_8);
        if (name.startsWith("/")) {
            try {
                scenario = Scenarios.resolve(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sim:// URL '" + url + "': " + e.getMessage());
            }
        } else {
            scenario = Scenarios.builtin(name);
            if (scenario == null) {
                throw new IllegalArgumentException("sim:// URL '" + url + "': unknown scenario '" + name + "'; one of "
                        + String.join(", ", Scenarios.NAMES) + ", or sim:///path/to/scenario.yaml");
            }
        }
        long seed = 1;
        double fps = 5;
        FrameSize size = new FrameSize(640, 360);
        Set<String> seen = new LinkedHashSet<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!PARAMETERS.contains(key)) {
                    throw new IllegalArgumentException("sim:// URL '" + url + "': unknown parameter '" + key
                            + "'; known: seed, fps, size");
                }
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("sim:// URL '" + url + "': parameter '" + key + "' given twice");
                }
                switch (key) {
                    case "seed" -> {
                        try {
                            seed = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("sim:// URL '" + url + "': seed must be a whole number,"
                                    + " got '" + value + "'");
                        }
                    }
                    case "fps" -> {
                        try {
                            fps = Double.parseDouble(value);
                        } catch (NumberFormatException e) {
                            fps = Double.NaN;
                        }
                        if (!(fps > 0 && fps <= 120)) {
                            throw new IllegalArgumentException("sim:// URL '" + url + "': fps must be a number above 0"
                                    + " and at most 120, got '" + value + "'");
                        }
                    }
                    default -> {
                        try {
                            size = FrameSize.parse(value);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("sim:// URL '" + url + "': " + e.getMessage());
                        }
                    }
                }
            }
        }
        return new SimUrl(name, scenario, seed, fps, size);
    }
}
