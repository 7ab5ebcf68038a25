package io.gamewire.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How the admin-API commands reach the running gamewire: {@code --url} and {@code --token}, else its configuration. */
final class AdminApiOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    private String url;

    @Option(names = "--url", paramLabel = "URL",
            description = "the running gamewire's base URL (default: http://gamewire.http.host:gamewire.http.port"
                    + " of the same configuration)")
    void url(String value) {
        if (!value.matches("https?://[^/\\s]+/?")) {
            throw new ParameterException(command.commandLine(), "--url must be a base URL such as"
                    + " http://127.0.0.1:8080, got '" + value + "'");
        }
        this.url = value;
    }

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "the admin token (default: gamewire.admin.token of the same configuration, environment"
                    + " variable GAMEWIRE_ADMIN_TOKEN); a wrong one counts towards"
                    + " gamewire.admin.auth-failures-per-minute of this address, past which gamewire answers 429")
    private String token;

    /** The URL given, or null. */
    String url() {
        return url;
    }

    /**
     * The admin-API client for the gamewire that {@code config} describes, or at the URL given;
     * {@code who} names the command for the message when no token is set.
     */
    AdminClient client(Application application, ConfigOptions config, String who) {
        return AdminClient.connect(application.settings(config.configDir(), config.profile(), config.overrides()),
                url, token, who);
    }

    /** The admin-API client for the gamewire that {@code config} describes, or at the URL given. */
    PullCommands connect(Application application, ConfigOptions config) {
        return new PullCommands(client(application, config, "gamewire pull"), System.out, System.err,
                PullCommands.POLL);
    }
}
