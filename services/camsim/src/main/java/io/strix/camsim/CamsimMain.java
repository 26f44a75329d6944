package io.strix.camsim;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.NotBuiltCommand;
import io.strix.common.cli.StrixCommand;
import java.util.List;

/** Entry point of the camsim service ({@code strix camsim}). Not built yet: it says so and exits with code 2. */
public final class CamsimMain {
    private CamsimMain() {
    }

    public static StrixCommand command() {
        return new NotBuiltCommand("camsim", "Render synthetic street-camera scenes with ground truth (videos, datasets, live sim:// cameras).", "issue 3", List.of());
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
