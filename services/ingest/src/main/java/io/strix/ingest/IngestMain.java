package io.strix.ingest;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.NotBuiltCommand;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import java.util.List;

/** Entry point of the ingest service ({@code strix ingest}). Not built yet: it says so and exits with code 2. */
public final class IngestMain {
    private IngestMain() {
    }

    public static StrixCommand command() {
        return new NotBuiltCommand("ingest", "Decode camera streams (RTSP, RTMP, HLS, files, sim://) into frames on Kafka.", "issue 5", List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.HTTP_PORT, CommonKeys.API_TOKEN));
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
