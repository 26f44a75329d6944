package io.strix.detector;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.NotBuiltCommand;
import io.strix.common.cli.StrixCommand;
import io.strix.common.config.CommonKeys;
import java.util.List;

/** Entry point of the detector service ({@code strix detector}). Not built yet: it says so and exits with code 2. */
public final class DetectorMain {
    private DetectorMain() {
    }

    public static StrixCommand command() {
        return new NotBuiltCommand("detector", "Run MobileViT-YOLO on ONNX Runtime over strix.frames and publish detections.", "issue 6", List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.HTTP_PORT, CommonKeys.API_TOKEN));
    }

    public static void main(String[] args) {
        System.exit(CommandLauncher.runStandalone(command(), args));
    }
}
