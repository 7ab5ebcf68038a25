package io.gamewire;

import io.gamewire.cli.CommandLine;
import io.gamewire.cli.PullCommands;
import io.gamewire.cli.TitleCommands;
import io.gamewire.cli.UsageException;
import io.gamewire.stack.StartupException;

/** {@code java -jar gamewire.jar}: parses the command line and runs {@link GamewireApplication}. */
public final class GamewireMain {

    private GamewireMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; the exit status. Public for the end-to-end tests of the commands. */
    public static int run(String[] args) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args, System.getenv());
        } catch (UsageException e) {
            System.err.println("gamewire: " + e.getMessage());
            System.err.println("Try 'java -jar gamewire.jar --help'.");
            return 2;
        }
        if (cli.help()) {
            System.out.print(CommandLine.USAGE);
            return 0;
        }
        if (cli.version()) {
            String version = GamewireMain.class.getPackage().getImplementationVersion();
            System.out.println("gamewire " + (version == null ? "(development build)" : version));
            return 0;
        }
        if (cli.configDirGiven() && !java.nio.file.Files.isDirectory(cli.configDir())) {
            System.err.println("gamewire: config folder " + cli.configDir().toAbsolutePath() + " does not exist");
            return 2;
        }
        if (cli.command() == CommandLine.Command.VALIDATE) {
            return TitleCommands.validate(cli.target() != null ? cli.target() : cli.configDir().resolve("titles"));
        }
        if (cli.command() == CommandLine.Command.DOCS) {
            return TitleCommands.docs(cli.configDir().resolve("titles"), cli.target());
        }
        if (cli.command() == CommandLine.Command.PULL || cli.command() == CommandLine.Command.PULLS) {
            return pullCommand(cli);
        }
        try {
            return new GamewireApplication(cli.configDir(), cli.profile(), cli.overrides()).run();
        } catch (StartupException e) {
            System.err.println("gamewire: cannot start: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof StartupException)) {
                cause = cause.getCause();
            }
            System.err.println("gamewire: cannot start: " + cause.getMessage());
            return 1;
        }
    }

    private static int pullCommand(CommandLine cli) {
        PullCommands commands;
        try {
            commands = PullCommands.connect(GamewireApplication.settings(cli.configDir(), cli.profile(),
                    cli.overrides()), cli.url(), System.out, System.err);
        } catch (UsageException | StartupException e) {
            System.err.println("gamewire: " + e.getMessage());
            return 2;
        }
        return cli.command() == CommandLine.Command.PULL
                ? commands.run(cli.operands().get(0), cli.operands().get(1), cli.since())
                : commands.list();
    }
}
