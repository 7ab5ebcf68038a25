package io.gamewire.cli;

import io.gamewire.config.StartupException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code gamewire run}: runs gamewire until it is stopped (SIGTERM drains and stops it). */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Runs the gamewire router until it is stopped. The default when no command is given.")
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private GamewireCommand gamewire;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        return run(config, gamewire.application());
    }

    static int run(ConfigOptions config, Application application) {
        try {
            return application.run(config.configDir(), config.profile(), config.overrides());
        } catch (picocli.CommandLine.ParameterException e) {
            throw e;
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
}
