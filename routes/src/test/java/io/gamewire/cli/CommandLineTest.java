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
}
