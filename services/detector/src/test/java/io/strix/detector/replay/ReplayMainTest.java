package io.strix.detector.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.wire.Topic;
import io.strix.wire.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad arguments stop the replay with exit code 2 and a message before it loads a model or touches Kafka. */
class ReplayMainTest {
    private final ByteArrayOutputStream table = new ByteArrayOutputStream();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        List<String> line = new ArrayList<>(List.of("replay", "--bootstrap-servers", "localhost:1"));
        line.addAll(List.of(args));
        StrixCommand command = ReplayMain.command(new PrintStream(table, true, StandardCharsets.UTF_8));
        return new CommandLauncher("strix", List.of(command), Map.of(), new PrintWriter(out, true),
                new PrintWriter(err, true)).run(line.toArray(String[]::new));
    }

    @Test
    void helpListsTheFlagsAndTheTimeForms() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--from", "--to", "--model", "--output-topic", "--json", "--match-iou",
                "--production-slack-seconds", "--confidence", "--iou", "--max-detections", "--threads", "--batch",
                "2026-11-27T10:00:00Z", "-15m", "now");
    }

    @Test
    void requiresFromModelAndOutputTopic() {
        assertThat(run("--model", "m.onnx", "--output-topic", "shadow")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("--from");
        assertThat(run("--from", "-1h", "--output-topic", "shadow")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("--model");
        assertThat(run("--from", "-1h", "--model", "m.onnx")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("--output-topic");
    }

    @Test
    void rejectsAnUnparseableTime() {
        assertThat(run("--from", "yesterday", "--model", "m.onnx", "--output-topic", "shadow"))
                .isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("--from").contains("'yesterday' is not a time");
    }

    @Test
    void rejectsFromAfterTo() {
        assertThat(run("--from", "2026-11-27T10:00:00Z", "--to", "2026-11-27T09:00:00Z", "--model", "m.onnx",
                "--output-topic", "shadow")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("--from 2026-11-27T10:00:00Z").contains("is after --to");
        assertThat(run("--from", "now", "--to", "-1m", "--model", "m.onnx", "--output-topic", "shadow"))
                .isEqualTo(StrixCommand.USAGE);
    }

    @Test
    void refusesEveryProductionTopic() {
        for (Topic<?> production : Topics.ALL) {
            assertThat(run("--from", "-1h", "--model", "m.onnx", "--output-topic", production.name()))
                    .as(production.name()).isEqualTo(StrixCommand.USAGE);
        }
        assertThat(err.toString()).contains("--output-topic strix.detections is a production topic")
                .contains("replay never writes into production topics");
        // Kafka takes '.' and '_' for the same in topic names.
        assertThat(run("--from", "-1h", "--model", "m.onnx", "--output-topic", "strix_detections"))
                .isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("strix_detections is a production topic");
    }

    @Test
    void namesAMissingModelFile() {
        assertThat(run("--from", "-1h", "--model", "/nonexistent/candidate.onnx", "--output-topic", "shadow"))
                .isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("/nonexistent/candidate.onnx does not exist");
    }

    @Test
    void namesAJsonFileInAMissingDirectory() {
        assertThat(run("--from", "-1h", "--model", "m.onnx", "--output-topic", "shadow", "--json",
                "/nonexistent/dir/report.json")).isEqualTo(StrixCommand.USAGE);
        assertThat(err.toString()).contains("/nonexistent/dir does not exist");
        assertThat(table.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
