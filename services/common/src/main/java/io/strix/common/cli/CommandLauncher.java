package io.strix.common.cli;

import io.strix.common.config.CommonKeys;
import io.strix.common.config.Config;
import io.strix.common.config.ConfigException;
import io.strix.common.config.ConfigKey;
import io.strix.common.logging.Logging;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Parses {@code strix COMMAND [flags]} with picocli, from the commands' own {@link ConfigKey}s (so help, the config
 * reference and parsing never disagree), resolves the settings and runs the command. Usage errors exit with 2.
 */
public final class CommandLauncher {
    private final String program;
    private final Map<String, StrixCommand> commands = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;

    public CommandLauncher(String program, List<StrixCommand> commands, Map<String, String> env, PrintWriter out,
                           PrintWriter err) {
        this.program = program;
        commands.forEach(c -> this.commands.put(c.name(), c));
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Runs a single command as its own program ({@code java -cp ... IngestMain [flags]}). */
    public static int runStandalone(StrixCommand command, String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        String[] withName = new String[args.length + 1];
        withName[0] = command.name();
        System.arraycopy(args, 0, withName, 1, args.length);
        return new CommandLauncher("strix", List.of(command), System.getenv(), out, err).run(withName);
    }

    public Map<String, StrixCommand> commands() {
        return commands;
    }

    /** The keys every command understands, besides its own. */
    public static List<ConfigKey<?>> globalKeys() {
        return List.of(Config.CONFIG_FILE, CommonKeys.LOG_FORMAT);
    }

    public int run(String[] args) {
        CommandLine root = commandLine();
        ParseResult parsed;
        try {
            parsed = root.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            if (args.length > 0 && !args[0].startsWith("-") && !commands.containsKey(args[0])) {
                err.println(program + ": unknown command '" + args[0] + "'; commands: "
                        + String.join(", ", commands.keySet()));
                err.println("Run '" + program + " --help' for usage.");
                return StrixCommand.USAGE;
            }
            err.println(program + ": " + e.getMessage());
            CommandLine failed = e.getCommandLine();
            err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            return StrixCommand.USAGE;
        }
        if (!parsed.hasSubcommand()) {
            if (parsed.isUsageHelpRequested() || args.length == 0) {
                root.usage(args.length == 0 ? err : out);
                return args.length == 0 ? StrixCommand.USAGE : 0;
            }
            if (parsed.isVersionHelpRequested()) {
                root.printVersionHelp(out);
                return 0;
            }
        }
        ParseResult sub = parsed.subcommand();
        StrixCommand command = commands.get(sub.commandSpec().name());
        while (sub.hasSubcommand()) {
            sub = sub.subcommand();
            String name = sub.commandSpec().name();
            command = command.subcommands().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        }
        if (sub.isUsageHelpRequested()) {
            sub.commandSpec().commandLine().usage(out);
            return 0;
        }
        if (!command.subcommands().isEmpty()) {
            err.println(sub.commandSpec().qualifiedName() + ": choose one of "
                    + String.join(", ", command.subcommands().stream().map(StrixCommand::name).toList()));
            sub.commandSpec().commandLine().usage(err);
            return StrixCommand.USAGE;
        }
        Map<String, String> flags = new HashMap<>();
        for (OptionSpec option : sub.matchedOptions()) {
            if (option.userObject() instanceof ConfigKey<?> key) {
                Object value = option.getValue();
                flags.put(key.name(), value instanceof String[] values ? String.join("\n", values) : (String) value);
            }
        }
        List<ConfigKey<?>> keys = keysOf(command);
        Config config;
        try {
            config = Config.resolve(keys, flags, env);
        } catch (ConfigException e) {
            err.println(program + " " + command.name() + ": " + e.getMessage());
            return StrixCommand.USAGE;
        }
        Logging.configure(config.get(CommonKeys.LOG_FORMAT));
        try {
            return command.run(config);
        } catch (ConfigException e) {
            err.println(program + " " + command.name() + ": " + e.getMessage());
            return StrixCommand.USAGE;
        } catch (Exception | LinkageError e) {
            err.println(program + " " + command.name() + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * Checks a command line without running it (deployment files are tested this way).
     *
     * @return the usage error, or empty when the line names a command and only flags it knows
     */
    public Optional<String> usageError(String[] args) {
        if (args.length == 0 || !commands.containsKey(args[0])) {
            return Optional.of("not a strix command: " + (args.length == 0 ? "(none)" : args[0]));
        }
        try {
            commandLine().parseArgs(args);
            return Optional.empty();
        } catch (CommandLine.ParameterException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Every command's keys, for the configuration reference. */
    public Map<String, List<ConfigKey<?>>> keysByCommand() {
        Map<String, List<ConfigKey<?>>> keys = new LinkedHashMap<>();
        commands.values().forEach(c -> addKeys("", c, keys));
        return keys;
    }

    private static void addKeys(String prefix, StrixCommand command, Map<String, List<ConfigKey<?>>> keys) {
        if (command.subcommands().isEmpty()) {
            keys.put(prefix + command.name(), keysOf(command));
        } else {
            command.subcommands().forEach(sub -> addKeys(prefix + command.name() + " ", sub, keys));
        }
    }

    static List<ConfigKey<?>> keysOf(StrixCommand command) {
        List<ConfigKey<?>> keys = new ArrayList<>(command.keys());
        globalKeys().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return keys;
    }

    CommandLine commandLine() {
        CommandSpec rootSpec = CommandSpec.create().name(program).mixinStandardHelpOptions(true);
        rootSpec.usageMessage().description("Strix: live video analytics on Apache Kafka.", "")
                .commandListHeading("Commands:%n")
                .footer("", "Every command takes --help. Settings also come from STRIX_* environment variables"
                        + " and --config FILE; see the Configuration section of README.md.");
        rootSpec.version("strix " + version());
        CommandLine root = new CommandLine(rootSpec);
        commands.values().forEach(command -> root.addSubcommand(command.name(), commandLine(command)));
        return root;
    }

    private static CommandLine commandLine(StrixCommand command) {
        CommandSpec spec = CommandSpec.create().name(command.name()).mixinStandardHelpOptions(true);
        spec.usageMessage().description(literal(command.summary())).sortOptions(false);
        CommandLine line = new CommandLine(spec);
        if (!command.subcommands().isEmpty()) {
            spec.usageMessage().commandListHeading("Commands:%n");
            command.subcommands().forEach(sub -> line.addSubcommand(sub.name(), commandLine(sub)));
            return line;
        }
        for (ConfigKey<?> key : keysOf(command)) {
            spec.addOption(OptionSpec.builder(key.flag())
                    .paramLabel(label(key))
                    .type(key.repeatable() ? String[].class : String.class)
                    .userObject(key)
                    .description(literal(key.doc() + (key.repeatable() ? " Repeatable." : "") + " Env "
                            + key.envName() + "; default " + key.defaultText() + "."))
                    .build());
        }
        return line;
    }

    /** Picocli formats help texts (String.format): a plain '%' ("fps, % skipped") must reach it as "%%". */
    private static String literal(String text) {
        return text.replace("%", "%%");
    }

    private static String label(ConfigKey<?> key) {
        return "<" + (key.type().startsWith("int") ? "int" : key.type()) + ">";
    }

    private static String version() {
        String v = CommandLauncher.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
