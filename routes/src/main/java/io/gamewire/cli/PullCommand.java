package io.gamewire.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gamewire pull TITLE PULL}: one run of a pull now, in the running gamewire, with progress. */
@Command(name = "pull", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
            "Runs one of a title file's pulls now in the running gamewire (its admin API), printing progress"
                    + " (pages, items, rate) until the run ends. The run goes on if the command is interrupted.",
            "Authenticates with gamewire.admin.token (GAMEWIRE_ADMIN_TOKEN).",
            "Exit status 0 when the run succeeded or the API answered 304, 1 when it failed, was refused (unknown"
                    + " pull, already running) or gamewire could not be reached."})
final class PullCommand implements Callable<Integer> {

    @ParentCommand
    private GamewireCommand gamewire;

    @Mixin
    private ConfigOptions config;

    @Mixin
    private AdminApiOptions adminApi;

    @Parameters(index = "0", paramLabel = "TITLE", description = "the title whose file defines the pull")
    private String title;

    @Parameters(index = "1", paramLabel = "PULL", description = "the pull's name in that file")
    private String pull;

    @Option(names = "--since", paramLabel = "VALUE",
            description = "a backfill from this watermark (a timestamp or id, as the pull's watermark kind) instead"
                    + " of the stored one; the stored watermark never moves backwards")
    private String since;

    @Override
    public Integer call() {
        return adminApi.connect(gamewire.application(), config).run(title, pull, since);
    }
}
