package io.gamewire.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the configuration is, which profile, and single-property overrides: the options every
 * command shares. They may stand before the command ({@code gamewire -c DIR validate}) or after
 * it; after it wins. Unset, the folder and the profile come from {@code GAMEWIRE_CONFIG_DIR} and
 * {@code GAMEWIRE_PROFILE}.
 */
public final class ConfigOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = {"-c", "--config"}, paramLabel = "DIR",
            description = "folder with application.properties and titles/ (default ./config;"
                    + " environment GAMEWIRE_CONFIG_DIR)")
    private Path configDir;

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME",
            description = "also load DIR/application-NAME.properties over the defaults; 'prod' runs on RabbitMQ,"
                    + " MySQL/MariaDB, Redis and memcached (environment GAMEWIRE_PROFILE)")
    private String profile;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "override one property, e.g. --set gamewire.http.port=9090 (repeatable)")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /** The configuration folder; must exist when named explicitly (option or environment). */
    public Path configDir() {
        Path dir = given();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ParameterException(command.commandLine(), "config folder " + dir.toAbsolutePath()
                    + " does not exist");
        }
        return dir != null ? dir : Path.of("config");
    }

    /** The profile, or null for the embedded stack. */
    public String profile() {
        String value = profile != null ? profile : root().map(r -> r.profile).orElse(null);
        if (value == null) {
            value = environment().get("GAMEWIRE_PROFILE");
        }
        if (value != null && !value.matches("[a-z0-9_-]{1,32}")) {
            throw new ParameterException(command.commandLine(), "profile '" + value
                    + "' must be 1 to 32 characters of [a-z0-9_-]");
        }
        return value;
    }

    /** The overrides given before and after the command, those after winning. */
    public Map<String, String> overrides() {
        Map<String, String> all = new LinkedHashMap<>(root().map(r -> r.overrides).orElse(Map.of()));
        all.putAll(overrides);
        return Map.copyOf(all);
    }

    private Path given() {
        if (configDir != null) {
            return configDir;
        }
        Path fromRoot = root().map(r -> r.configDir).orElse(null);
        if (fromRoot != null) {
            return fromRoot;
        }
        String fromEnvironment = environment().get("GAMEWIRE_CONFIG_DIR");
        return fromEnvironment == null ? null : Path.of(fromEnvironment);
    }

    /** The options given before the command, when these are a command's own. */
    private java.util.Optional<ConfigOptions> root() {
        GamewireCommand gamewire = (GamewireCommand) command.root().userObject();
        return gamewire.config() == this ? java.util.Optional.empty() : java.util.Optional.of(gamewire.config());
    }

    private Map<String, String> environment() {
        return ((GamewireCommand) command.root().userObject()).environment();
    }
}
