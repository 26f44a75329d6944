package io.strix.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.detector.inference.ModelSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectorMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLauncher("strix", List.of(DetectorMain.command()), Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true)).run(args);
    }

    @Test
    void listsItsFlagsInHelp() {
        assertThat(run("detector", "--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers", "--model", "--threads", "--batch",
                "--max-frame-age", "--batch-wait-ms", "--commit-interval-ms", "--confidence", "--iou", "--execution-provider", "--jpeg-decode",
                "--instance-id", "--group");
    }

    @Test
    void saysToGiveAModelWhileNoneIsShipped() {
        assumeTrue(getClass().getClassLoader().getResource(ModelSource.SHIPPED_RESOURCE) == null,
                "a shipped model is on the class path");
        // The model is resolved before anything connects to Kafka: nothing listens on port 1.
        assertThat(run("detector", "--bootstrap-servers", "localhost:1")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("no model").contains("--model FILE");
    }

    @Test
    void namesAMissingModelFile() {
        assertThat(run("detector", "--model", "/nonexistent/model.onnx")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("/nonexistent/model.onnx does not exist");
    }

    @Test
    void rejectsAConfidenceOutsideZeroToOne() {
        assertThat(run("detector", "--confidence", "1.5")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("--confidence").contains("outside 0..1");
    }

    @Test
    void rejectsAFileThatIsNoModel() throws Exception {
        java.nio.file.Path junk = java.nio.file.Files.createTempFile("junk", ".onnx");
        java.nio.file.Files.writeString(junk, "not a model");
        assertThat(run("detector", "--model", junk.toString())).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("ONNX Runtime cannot load");
    }
}
