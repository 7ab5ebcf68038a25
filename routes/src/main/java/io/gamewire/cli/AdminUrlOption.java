package io.gamewire.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --url}: the running gamewire that the admin-API commands talk to. */
final class AdminUrlOption {

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

    /** The URL given, or null. */
    String url() {
        return url;
    }
}
