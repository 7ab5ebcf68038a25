package io.gamewire.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code gamewire pulls}: every pull of the running gamewire. */
@Command(name = "pulls", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Lists every pull of the running gamewire: schedule, whether it is scheduled and running"
                + " there, breaker, watermark, last run and last error.",
            "Authenticates with gamewire.admin.token (GAMEWIRE_ADMIN_TOKEN)."})
final class PullsCommand implements Callable<Integer> {

    @ParentCommand
    private GamewireCommand gamewire;

    @Mixin
    private ConfigOptions config;

    @Mixin
    private AdminApiOptions adminApi;

    @Override
    public Integer call() {
        return adminApi.connect(gamewire.application(), config).list();
    }
}
