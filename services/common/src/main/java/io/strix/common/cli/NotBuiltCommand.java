package io.strix.common.cli;

import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.util.List;

/** A command whose service is planned but not built yet: it says so and exits with code 2. */
public record NotBuiltCommand(String name, String summary, String issue, List<ConfigKey<?>> keys)
        implements StrixCommand {

    @Override
    public int run(Config config) {
        System.err.println("strix " + name + ": not built yet (" + issue + ").");
        return USAGE;
    }
}
