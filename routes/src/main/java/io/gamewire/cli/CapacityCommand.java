package io.gamewire.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gamewire capacity [SERVICE]}: the capacity planner's view of the running gamewire; with the commands
 * {@code backtest} (local, no gamewire needed) and {@code fit SERVICE}.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        synopsisSubcommandLabel = "[backtest | fit SERVICE]",
        header = "The capacity planner's decisions, a service's forecast summary; backtest, fit.",
        description = {
            "Without SERVICE: every planned service of the running gamewire with the planner's latest decision"
                    + " (GET /v1/admin/capacity). With SERVICE (title.env.service): a summary of it from"
                    + " GET /v1/admin/capacity/SERVICE: the rate now and what the forecast said of it, the forecast's"
                    + " peak within the next --hours and when, the current and planned consumers with the latest"
                    + " decision and its reason, and the aberrations the forecast flagged in the archive.",
            "The forecast is additive Holt-Winters over the usage archive's 1 min averages of the last 14 days"
                    + " (docs/CAPACITY.md). Its picture is GET /v1/admin/capacity/SERVICE.png, also in the web"
                    + " console's Capacity panel.",
            "Authenticates with gamewire.admin.token (GAMEWIRE_ADMIN_TOKEN). Exit status 0 done, 1 when gamewire"
                    + " refused (503: the usage archive is off there; 404: no such service in the archive)."},
        subcommands = {CapacityBacktestCommand.class, CapacityFitCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  gamewire capacity                        the latest decisions",
            "  gamewire capacity halo.prod.stats        now, peak, consumers",
            "  gamewire capacity halo.prod.stats --hours 168",
            "  gamewire capacity backtest --seeds 1,2,3 the targets, locally",
            "  gamewire capacity fit halo.prod.stats    alpha, beta, gamma"})
final class CapacityCommand implements Callable<Integer> {

    @ParentCommand
    private GamewireCommand gamewire;

    @Mixin
    private ConfigOptions config;

    @Mixin
    private AdminApiOptions adminApi;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "a service, title.env.service")
    private String service;

    @Option(names = "--hours", paramLabel = "H", defaultValue = "24",
            description = "how far ahead to look for the peak, 1 to 336 hours (default: ${DEFAULT-VALUE})")
    private int hours;

    @Spec
    private CommandSpec spec;

    GamewireCommand gamewire() {
        return gamewire;
    }

    @Override
    public Integer call() {
        AdminClient client = adminApi.client(gamewire.application(), config, "gamewire capacity");
        ConsoleOutput out = new ConsoleOutput(spec.commandLine().getOut());
        try {
            if (service == null) {
                CapacityText.decisions(client.get("v1/admin/capacity"), out);
            } else {
                CapacityText.summary(client.get("v1/admin/capacity/" + AdminPaths.segment(service) + "?hours=" + hours), out);
            }
            return 0;
        } catch (AdminClient.AdminException e) {
            spec.commandLine().getErr().println("gamewire capacity: " + e.getMessage());
            return 1;
        }
    }
}
