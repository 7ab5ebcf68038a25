package io.gamewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void defaultsToConfigFolderAndNoProfile() {
        CommandLine cli = CommandLine.parse(new String[0], Map.of());

        assertThat(cli.configDir()).isEqualTo(Path.of("config"));
        assertThat(cli.configDirGiven()).isFalse();
        assertThat(cli.profile()).isNull();
        assertThat(cli.overrides()).isEmpty();
        assertThat(cli.help()).isFalse();
    }

    @Test
    void readsOptionsInLongAndShortForm() {
        CommandLine cli = CommandLine.parse(new String[] {"run", "--config", "/etc/gamewire", "-p", "prod",
            "--set", "gamewire.http.port=9090", "-s", "gamewire.db.url=jdbc:h2:mem:x;MODE=MySQL"}, Map.of());

        assertThat(cli.configDir()).isEqualTo(Path.of("/etc/gamewire"));
        assertThat(cli.configDirGiven()).isTrue();
        assertThat(cli.profile()).isEqualTo("prod");
        assertThat(cli.overrides()).containsEntry("gamewire.http.port", "9090")
                .containsEntry("gamewire.db.url", "jdbc:h2:mem:x;MODE=MySQL");
    }

    @Test
    void environmentSuppliesConfigFolderAndProfile() {
        CommandLine cli = CommandLine.parse(new String[0],
                Map.of("GAMEWIRE_CONFIG_DIR", "/srv/gw", "GAMEWIRE_PROFILE", "prod"));

        assertThat(cli.configDir()).isEqualTo(Path.of("/srv/gw"));
        assertThat(cli.profile()).isEqualTo("prod");
    }

    @Test
    void optionsWinOverEnvironment() {
        CommandLine cli = CommandLine.parse(new String[] {"--profile", "staging"}, Map.of("GAMEWIRE_PROFILE", "prod"));

        assertThat(cli.profile()).isEqualTo("staging");
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--bogus"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessage("unknown argument '--bogus'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config"}, Map.of()))
                .hasMessage("--config needs a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--set", "novalue"}, Map.of()))
                .hasMessage("--set takes KEY=VALUE, got 'novalue'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--profile", "Prod!"}, Map.of()))
                .hasMessageContaining("profile 'Prod!' must be 1 to 32 characters");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"-h", "run"}, Map.of()))
                .hasMessage("'run' must come first");
    }

    @Test
    void pullTakesTitlePullAndOptions() {
        CommandLine cli = CommandLine.parse(new String[] {"pull", "kart", "race-results", "--since",
            "2026-01-01T00:00:00Z", "--url", "http://10.0.0.5:8080", "-p", "prod"}, Map.of());

        assertThat(cli.command()).isEqualTo(CommandLine.Command.PULL);
        assertThat(cli.operands()).containsExactly("kart", "race-results");
        assertThat(cli.since()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(cli.url()).isEqualTo("http://10.0.0.5:8080");
        assertThat(cli.profile()).isEqualTo("prod");
        assertThat(CommandLine.parse(new String[] {"pull", "run", "docs"}, Map.of()).operands())
                .as("a title or pull named like a command").containsExactly("run", "docs");
        assertThat(CommandLine.parse(new String[] {"pulls"}, Map.of()).command()).isEqualTo(CommandLine.Command.PULLS);
    }

    @Test
    void pullUsageErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"pull", "kart"}, Map.of()))
                .hasMessage("pull needs TITLE and PULL, e.g. 'pull kart race-results', got 'kart'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"pull", "a", "b", "c"}, Map.of()))
                .hasMessage("pull needs TITLE and PULL, e.g. 'pull kart race-results', got 'a b c'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"run", "--since", "5"}, Map.of()))
                .hasMessage("--since belongs to pull");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"validate", "--url", "http://x:1"}, Map.of()))
                .hasMessage("--url belongs to pull and pulls");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"pulls", "--url", "localhost:8080"}, Map.of()))
                .hasMessage("--url must be a base URL such as http://127.0.0.1:8080, got 'localhost:8080'");
    }
}
