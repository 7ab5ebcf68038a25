package io.gamewire.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gamewire docs --out DIR}: developer docs from the title files. */
@Command(name = "docs", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Writes, per title, a Markdown page for game and web developers and an OpenAPI 3 document"
                + " of its HTTP endpoints."})
final class DocsCommand implements Callable<Integer> {

    @Mixin
    private ConfigOptions config;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true, description = "where the files go")
    private Path out;

    @Override
    public Integer call() {
        return TitleCommands.docs(config.configDir().resolve("titles"), out);
    }
}
