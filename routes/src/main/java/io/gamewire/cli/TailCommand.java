package io.gamewire.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gamewire tail PATTERN}: the live tail of the running gamewire, in the terminal. */
@Command(name = "tail", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {
            "Prints the events crossing the bus of the running gamewire whose routing key matches PATTERN, as they"
                    + " come: one line each with the time gamewire received it, the routing key, the source (http,"
                    + " tcp, pull, replay, console) and the payload, with the fields title files mark redact: true"
                    + " shown as \"***\". Reads GET /v1/admin/tail (Server-Sent Events). Ctrl-C ends it.",
            "A tail only sees what is published while it is open: gamewire binds its bus monitor's queue with"
                    + " PATTERN, and unbinds it when the tail ends. It shows at most gamewire.ops.tail-max-rate events"
                    + " a second (200): over that it skips events, counted, and then pauses for a second, and what is"
                    + " published in a pause is not counted (a busy pattern's tail is a sample). When the terminal is"
                    + " slower, gamewire drops the oldest events it holds for it. Drops are told on standard error.",
            "Authenticates with gamewire.admin.token (GAMEWIRE_ADMIN_TOKEN). Exit status 0 when the stream ended,"
                    + " 1 when it was refused (bad pattern, too many tails: gamewire.ops.max-tails) or broke off."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  gamewire tail 'halo.prod.#'                      everything of halo in prod",
            "  gamewire tail 'halo.*.stats.match_end' --limit 10  the next ten match ends, any environment",
            "  gamewire tail 'kart.#' --dead-letters            kart's events and its dead letters (marked DLQ)",
            "  gamewire tail '#' --json | jq .payload            every event as JSON, one per line"})
final class TailCommand implements Callable<Integer> {

    @ParentCommand
    private GamewireCommand gamewire;

    @Mixin
    private ConfigOptions config;

    @Mixin
    private AdminApiOptions adminApi;

    @Parameters(index = "0", paramLabel = "PATTERN",
            description = "routing keys to show: words title.env.service.command, * for one word, # for any number")
    private String pattern;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N events (1 to 1000000)")
    private long limit;

    @Option(names = "--json", description = "print each event's JSON as gamewire sends it, one per line")
    private boolean json;

    @Option(names = "--dead-letters", description = "also show the dead letters of matching routing keys")
    private boolean deadLetters;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 to 1000000 events, got " + limit);
        }
        return new TailCommands(adminApi.client(gamewire.application(), config, "gamewire tail"), System.out, System.err)
                .tail(pattern, limit, json, deadLetters);
    }
}
