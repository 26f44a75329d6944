package io.strix.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CommandLauncherTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicReference<Config> ran = new AtomicReference<>();

    private final StrixCommand echo = new StrixCommand() {
        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String summary() {
            return "Echo the settings.";
        }

        @Override
        public List<ConfigKey<?>> keys() {
            return List.of(CommonKeys.BOOTSTRAP_SERVERS, CommonKeys.HTTP_PORT);
        }

        @Override
        public int run(Config config) {
            ran.set(config);
            return 0;
        }
    };

    private final StrixCommand group = new StrixCommand() {
        @Override
        public String name() {
            return "sim";
        }

        @Override
        public String summary() {
            return "A group of actions.";
        }

        @Override
        public List<ConfigKey<?>> keys() {
            return List.of();
        }

        @Override
        public int run(Config config) {
            throw new AssertionError("a group never runs itself");
        }

        @Override
        public List<StrixCommand> subcommands() {
            return List.of(echo);
        }
    };

    /** Help texts with a '%' in them (only its help is asked for). */
    private final StrixCommand percent = new NotBuiltCommand("bench", "Measure fps, % skipped.", "issue 9",
            List.of(ConfigKey.integer("bench.share", 50, 0, 100, "Share of the frames, in % of all.")
                    .withFlag("--share")));

    private int run(Map<String, String> env, String... args) {
        List<StrixCommand> commands = List.of(echo, new NotBuiltCommand("later", "Not yet.", "issue 9", List.of()), group,
                percent);
        return new CommandLauncher("strix", commands, env, new PrintWriter(out, true), new PrintWriter(err, true)).run(args);
    }

    @Test
    void runsCommandWithFlagsAndEnvironment() {
        int code = run(Map.of("STRIX_BOOTSTRAP_SERVERS", "env:1"), "echo", "--http-port", "9999");
        assertThat(code).isZero();
        assertThat(ran.get().get(CommonKeys.HTTP_PORT)).isEqualTo(9999);
        assertThat(ran.get().get(CommonKeys.BOOTSTRAP_SERVERS)).isEqualTo("env:1");
    }

    @Test
    void helpListsEveryCommandWithItsSummary() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("echo").contains("Echo the settings.").contains("later");
    }

    @Test
    void commandHelpListsItsFlagsWithEnvironmentAndDefault() {
        assertThat(run(Map.of(), "echo", "--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers").contains("STRIX_BOOTSTRAP_SERVERS")
                .contains("localhost:9092").contains("--config").contains("--log-format");
        assertThat(ran.get()).isNull();
    }

    @Test
    void helpTextsWithAPercentSignPrintAsWrittenWithoutAFormattingWarning() {
        PrintStream saved = System.err; // picocli warns on System.err when a help text is a broken format string
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            assertThat(run(Map.of(), "bench", "--help")).isZero();
        } finally {
            System.setErr(saved);
        }
        assertThat(out.toString()).contains("Measure fps, % skipped.").contains("Share of the frames, in % of all.");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("Could not format");
    }

    @Test
    void unknownCommandExitsWithTwoAndSaysWhich() {
        assertThat(run(Map.of(), "bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'bogus'").contains("echo, later, sim");
    }

    @Test
    void unknownFlagExitsWithTwo() {
        assertThat(run(Map.of(), "echo", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("strix echo --help");
        assertThat(ran.get()).isNull();
    }

    @Test
    void badValueExitsWithTwoAndNamesTheFlag() {
        assertThat(run(Map.of(), "echo", "--http-port", "http")).isEqualTo(2);
        assertThat(err.toString()).contains("--http-port").contains("'http' is not an integer");
    }

    @Test
    void noArgumentsPrintsUsageAndExitsWithTwo() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: strix");
    }

    @Test
    void commandNotBuiltYetSaysSoAndExitsWithTwo() {
        assertThat(run(Map.of(), "later")).isEqualTo(2);
    }

    @Test
    void groupRunsItsActionWithTheActionsFlags() {
        assertThat(run(Map.of(), "sim", "echo", "--http-port", "1234")).isZero();
        assertThat(ran.get().get(CommonKeys.HTTP_PORT)).isEqualTo(1234);
    }

    @Test
    void groupWithoutActionListsItsActionsAndExitsWithTwo() {
        assertThat(run(Map.of(), "sim")).isEqualTo(2);
        assertThat(err.toString()).contains("choose one of echo");
        assertThat(run(Map.of(), "sim", "nope")).isEqualTo(2);
    }
}
