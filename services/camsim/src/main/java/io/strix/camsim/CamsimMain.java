package io.strix.camsim;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.util.List;

/** Entry point of the camsim service ({@code strix camsim render|dataset|preview|bench}). */
public final class CamsimMain implements StrixCommand {
    private CamsimMain() {
    }

    public static StrixCommand command() {
        return new CamsimMain();
    }

    @Override
    public String name() {
        return "camsim";
    }

    @Override
    public String summary() {
        return "Render synthetic street-camera scenes with ground truth (videos, datasets, live sim:// cameras).";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of();
    }

    @Override
    public List<StrixCommand> subcommands() {
        return List.of(new RenderCommand(), new DatasetCommand(), new PreviewCommand(), new BenchCommand());
    }

    @Override
    public int run(Config config) {
        return USAGE;
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
