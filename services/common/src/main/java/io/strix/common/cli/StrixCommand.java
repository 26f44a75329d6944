package io.strix.common.cli;

import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.util.List;

/** One {@code ./strix} command: its name, one line of help, the settings it reads and what it does. */
public interface StrixCommand {
    /** Exit code for a usage error, a bad setting or a command that does not exist yet. */
    int USAGE = 2;

    String name();

    String summary();

    List<ConfigKey<?>> keys();

    /** Runs the command to its end (a service: until shutdown) and returns the process exit code. */
    int run(Config config) throws Exception;

    /**
     * Actions under this command ({@code strix camsim render ...}); when there are some, the command itself only
     * groups them and {@link #run} is not called.
     */
    default List<StrixCommand> subcommands() {
        return List.of();
    }
}
