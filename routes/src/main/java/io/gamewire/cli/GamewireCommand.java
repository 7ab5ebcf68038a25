package io.gamewire.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code java -jar gamewire.jar}: the command line, with picocli. Without a command it runs
 * gamewire ({@code run}); {@code validate}, {@code docs}, {@code pull}, {@code pulls}, {@code tail},
 * {@code console}, {@code capacity} and
 * {@code generate-completion} are commands of their own, each with its options and
 * {@code --help}. Exit status: 0 done, 1 failed, 2 usage error.
 */
@Command(name = "gamewire", mixinStandardHelpOptions = true, versionProvider = GamewireCommand.Version.class,
        usageHelpAutoWidth = true,
        synopsisSubcommandLabel = "[COMMAND]",
        description = {
            "The gamewire router: HTTP and TCP (GWP) ingest and a query API, routing over AMQP topic"
                    + " exchanges, storage in SQL, a KV store and a cache. With no profile it runs on the embedded"
                    + " stack (in-process broker, H2, file KV store, in-process cache), keeping its state under"
                    + " ./data. Without a COMMAND it runs gamewire, as 'run' does."},
        subcommands = {RunCommand.class, ValidateCommand.class, DocsCommand.class, PullCommand.class,
            PullsCommand.class, TailCommand.class, ConsoleCommand.class, CapacityCommand.class,
            AutoComplete.GenerateCompletion.class},
        footerHeading = "%n",
        footer = {
            "Precedence of settings, highest first: --set, environment variables (gamewire.http.port is"
                    + " GAMEWIRE_HTTP_PORT), application-NAME.properties, application.properties, the defaults built"
                    + " into the jar.",
            "",
            "Endpoints (defaults): HTTP API and /observe/{health,metrics} on 127.0.0.1:8080, GWP over TCP on"
                    + " 127.0.0.1:7400, embedded AMQP broker on 127.0.0.1:5673. /observe/health/live is 503 only when"
                    + " a restart would help (a deadlock, a broken store); /observe/health/ready also while starting,"
                    + " draining on a stop, and while titles, the broker or the database are not there"
                    + " (docs/DEPLOYMENT.md).",
            "",
            "Bash completion: source <(java -jar gamewire.jar generate-completion)",
            "",
            "Exit status: 0 after a normal stop, 1 when it cannot start (or a command failed), 2 on a usage"
                    + " error."})
public final class GamewireCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    private final Map<String, String> environment;
    private final Application application;

    public GamewireCommand(Map<String, String> environment, Application application) {
        this.environment = environment;
        this.application = application;
    }

    /**
     * Parses and runs one command line; the exit status. Usage errors print the problem and a
     * pointer to {@code --help} on {@code err}, not the whole help.
     */
    public static int execute(String[] args, Map<String, String> environment, Application application,
                              PrintStream out, PrintStream err) {
        CommandLine commandLine = commandLine(environment, application);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            err.println("gamewire: " + e.getMessage());
            err.println("Try 'java -jar gamewire.jar " + commandPath(e.getCommandLine()) + "--help'.");
            return CommandLine.ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, command, parseResult) -> {
            if (e instanceof UsageException || e instanceof io.gamewire.config.StartupException) {
                err.println("gamewire: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    /** The parser, for {@link #execute} and for tests that only parse. */
    static CommandLine commandLine(Map<String, String> environment, Application application) {
        return new CommandLine(new GamewireCommand(environment, application));
    }

    private static String commandPath(CommandLine commandLine) {
        StringBuilder path = new StringBuilder();
        for (CommandLine at = commandLine; at.getParent() != null; at = at.getParent()) {
            path.insert(0, at.getCommandName() + " ");
        }
        return path.toString();
    }

    /** Without a command: runs gamewire. */
    @Override
    public Integer call() throws Exception {
        return RunCommand.run(config, application);
    }

    ConfigOptions config() {
        return config;
    }

    Map<String, String> environment() {
        return environment;
    }

    Application application() {
        return application;
    }

    /** The jar's version, from its manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GamewireCommand.class.getPackage().getImplementationVersion();
            return new String[] {"gamewire " + (version == null ? "(development build)" : version)};
        }
    }
}
