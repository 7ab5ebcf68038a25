package io.gamewire.cli;

import io.gamewire.config.SharedJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gamewire capacity fit SERVICE}: α, β, γ fitted by the running gamewire on its archive. */
@Command(name = "fit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        header = "Fits alpha, beta, gamma on SERVICE's archive in the running gamewire.",
        description = {
            "Asks the running gamewire to fit the forecast's smoothing (alpha, beta, gamma) on SERVICE's 1 min"
                    + " rates in the usage archive (POST /v1/admin/capacity/SERVICE/fit): Nelder-Mead on the sum of"
                    + " squared one-step errors, leaving out the windows the starting forecast flags as aberrations,"
                    + " so spikes and outages do not pull the fit. Prints the parameters before and after, their"
                    + " sums of squares, and the lines for the title's capacity: block. Changes nothing by itself.",
            "Needs three days of known rates in the archive (two weeks with season: week). Authenticates with gamewire.admin.token"
                    + " (GAMEWIRE_ADMIN_TOKEN). Exit status 0 done, 1 refused (409: too little data; 503: no archive)."})
final class CapacityFitCommand implements Callable<Integer> {

    @ParentCommand
    private CapacityCommand capacity;

    @Mixin
    private ConfigOptions config;

    @Mixin
    private AdminApiOptions adminApi;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "a service, title.env.service")
    private String service;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        AdminClient client = adminApi.client(capacity.gamewire().application(), config, "gamewire capacity fit");
        try {
            CapacityText.fit(client.post("v1/admin/capacity/" + AdminPaths.segment(service) + "/fit",
                    SharedJson.MAPPER.createObjectNode()),
                    new ConsoleOutput(spec.commandLine().getOut()));
            return 0;
        } catch (AdminClient.AdminException e) {
            spec.commandLine().getErr().println("gamewire capacity fit: " + e.getMessage());
            return 1;
        }
    }
}
