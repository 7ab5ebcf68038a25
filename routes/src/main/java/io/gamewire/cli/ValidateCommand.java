package io.gamewire.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code gamewire validate [TITLES_DIR]}: checks title files as gamewire would at start. */
@Command(name = "validate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Checks every title file as gamewire would at start and prints each problem as"
                + " file:line:column: field: message. Exit status 1 when there is any."})
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TITLES_DIR",
            description = "the folder of title files (default: DIR/titles of --config)")
    private Path titles;

    @Override
    public Integer call() {
        return TitleCommands.validate(titles != null ? titles : config.configDir().resolve("titles"));
    }
}
