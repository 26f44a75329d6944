package io.strix.app;

import io.strix.aggregator.AggregatorMain;
import io.strix.app.bench.BenchCommand;
import io.strix.app.demo.DemoCommand;
import io.strix.camsim.CamsimMain;
import io.strix.common.cli.CommandLauncher;
import io.strix.common.cli.StrixCommand;
import io.strix.detector.DetectorMain;
import io.strix.detector.replay.ReplayMain;
import io.strix.ingest.IngestMain;
import io.strix.kafka.KafkaCommand;
import io.strix.kafka.TopicsCommand;
import java.io.PrintWriter;
import java.util.List;

/** The one runnable jar: {@code strix COMMAND [flags]} (run by the {@code ./strix} launcher). */
public final class StrixMain {
    private StrixMain() {
    }

    /** Every command, in the order {@code strix --help} lists them. */
    public static List<StrixCommand> commands() {
        return List.of(
                new DemoCommand(),
                new BenchCommand(),
                new KafkaCommand(),
                new TopicsCommand(),
                IngestMain.command(),
                DetectorMain.command(),
                ReplayMain.command(),
                AggregatorMain.command(),
                CamsimMain.command());
    }

    public static CommandLauncher launcher(PrintWriter out, PrintWriter err) {
        return new CommandLauncher("strix", commands(), System.getenv(), out, err);
    }

    public static void main(String[] args) {
        int code = launcher(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).run(args);
        System.exit(code);
    }
}
