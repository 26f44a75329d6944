package io.strix.aggregator;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.NotBuiltCommand;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import java.util.List;

/** Entry point of the aggregator service ({@code strix aggregator}). Not built yet: it says so and exits with code 2. */
public final class AggregatorMain {
    private AggregatorMain() {
    }

    public static StrixCommand command() {
        return new NotBuiltCommand("aggregator", "Track objects, raise incident alerts and serve the live dashboard over WebSockets.", "issue 7", List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.HTTP_PORT, CommonKeys.API_TOKEN));
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
