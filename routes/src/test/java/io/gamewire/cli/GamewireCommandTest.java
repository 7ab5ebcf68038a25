package io.gamewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

class GamewireCommandTest {

    /** Records what {@code run} was asked to start. */
    private static final class RecordingApplication implements Application {
        final List<String> runs = new ArrayList<>();

        @Override
        public int run(Path configDir, String profile, Map<String, String> overrides) {
            runs.add(configDir + " " + profile + " " + new java.util.TreeMap<>(overrides));
            return 0;
        }

        @Override
        public Settings settings(Path configDir, String profile, Map<String, String> overrides) {
            throw new UnsupportedOperationException("not in these tests");
        }
    }

    @TempDir
    Path dir;

    private final RecordingApplication application = new RecordingApplication();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Map<String, String> environment, String... args) {
        return GamewireCommand.execute(args, environment, application, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutACommandItRunsOnTheConfigFolderWithoutAProfile() {
        assertThat(execute(Map.of())).isZero();

        assertThat(application.runs).containsExactly("config null {}");
    }

    @Test
    void runReadsItsOptionsInLongAndShortForm() {
        assertThat(execute(Map.of(), "run", "--config", dir.toString(), "-p", "prod", "--set", "gamewire.http.port=9090",
                "-s", "gamewire.db.url=jdbc:h2:mem:x;MODE=MySQL")).isZero();

        assertThat(application.runs).containsExactly(dir + " prod {gamewire.db.url=jdbc:h2:mem:x;MODE=MySQL,"
                + " gamewire.http.port=9090}");
    }

    @Test
    void theEnvironmentSuppliesFolderAndProfileAndOptionsWinOverIt() {
        assertThat(execute(Map.of("GAMEWIRE_CONFIG_DIR", dir.toString(), "GAMEWIRE_PROFILE", "prod"))).isZero();
        assertThat(execute(Map.of("GAMEWIRE_PROFILE", "prod"), "--profile", "staging")).isZero();

        assertThat(application.runs).containsExactly(dir + " prod {}", "config staging {}");
    }

    @Test
    void optionsMayStandBeforeTheCommandAndThoseAfterWin() {
        assertThat(execute(Map.of(), "-p", "staging", "-s", "a=1", "-s", "b=1", "run", "-s", "b=2")).isZero();

        assertThat(application.runs).containsExactly("config staging {a=1, b=2}");
    }

    @Test
    void usageErrorsSayWhatIsWrongAndWhereTheHelpIs() {
        assertThat(execute(Map.of(), "--bogus")).isEqualTo(2);
        assertThat(err()).contains("gamewire: Unknown option: '--bogus'").contains("Try 'java -jar gamewire.jar --help'.");
        assertThat(execute(Map.of(), "run", "--config")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter for option '--config' (DIR)")
                .contains("Try 'java -jar gamewire.jar run --help'.");
        assertThat(execute(Map.of(), "--set", "novalue")).isEqualTo(2);
        assertThat(err()).contains("should be in KEY=VALUE format but was novalue");
        assertThat(execute(Map.of(), "--profile", "Prod!")).isEqualTo(2);
        assertThat(err()).contains("gamewire: profile 'Prod!' must be 1 to 32 characters of [a-z0-9_-]");
        assertThat(execute(Map.of(), "--config", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err()).contains("config folder " + dir.resolve("missing").toAbsolutePath() + " does not exist");
        assertThat(execute(Map.of(), "docs")).isEqualTo(2);
        assertThat(err()).contains("Missing required option: '--out=DIR'");
        assertThat(application.runs).as("nothing started").isEmpty();
    }

    @Test
    void pullTakesTitlePullAndItsOwnOptions() {
        ParseResult parsed = GamewireCommand.commandLine(Map.of(), application).parseArgs("pull", "kart", "race-results",
                "--since", "2026-01-01T00:00:00Z", "--url", "http://10.0.0.5:8080", "-p", "prod");

        ParseResult pull = parsed.subcommand();
        assertThat(pull.commandSpec().name()).isEqualTo("pull");
        assertThat(pull.matchedPositionalValue(0, "")).isEqualTo("kart");
        assertThat(pull.matchedPositionalValue(1, "")).isEqualTo("race-results");
        assertThat(pull.matchedOptionValue("--since", "")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(pull.matchedOptionValue("--url", "")).isEqualTo("http://10.0.0.5:8080");
        assertThat(pull.matchedOptionValue("--profile", "")).isEqualTo("prod");
        assertThat(GamewireCommand.commandLine(Map.of(), application).parseArgs("pull", "run", "docs").subcommand()
                .matchedPositionals()).as("a title or pull named like a command").hasSize(2);
    }

    @Test
    void pullUsageErrorsSayWhatIsWrong() {
        assertThat(execute(Map.of(), "pull", "kart")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter: 'PULL'");
        assertThat(execute(Map.of(), "pull", "a", "b", "c")).isEqualTo(2);
        assertThat(err()).contains("Unmatched argument at index 3: 'c'");
        assertThat(execute(Map.of(), "run", "--since", "5")).isEqualTo(2);
        assertThat(err()).contains("Unknown options: '--since', '5'");
        assertThat(execute(Map.of(), "validate", "--url", "http://x:1")).isEqualTo(2);
        assertThat(err()).contains("Unknown option: '--url'");
        assertThat(execute(Map.of(), "pulls", "--url", "localhost:8080")).isEqualTo(2);
        assertThat(err()).contains("--url must be a base URL such as http://127.0.0.1:8080, got 'localhost:8080'");
    }

    @Test
    void everyCommandHasItsHelp() {
        assertThat(execute(Map.of(), "--help")).isZero();
        assertThat(out()).contains("Usage: gamewire [-hV]").contains("validate").contains("docs").contains("pull")
                .contains("pulls").contains("generate-completion").contains("--config=DIR")
                .contains("GAMEWIRE_HTTP_PORT");
        out.reset();
        assertThat(execute(Map.of(), "pull", "--help")).isZero();
        assertThat(out()).contains("Usage: gamewire pull").contains("TITLE").contains("PULL").contains("--since=VALUE")
                .contains("--url=URL").contains("GAMEWIRE_ADMIN_TOKEN");
        assertThat(application.runs).isEmpty();
    }

    @Test
    void generatesABashCompletionScriptForEveryCommand() {
        assertThat(execute(Map.of(), "generate-completion")).isZero();

        assertThat(out()).contains("complete -F _complete_gamewire").contains("validate").contains("pulls")
                .contains("--since");
    }

    @Test
    void printsItsVersion() {
        assertThat(execute(Map.of(), "--version")).isZero();

        assertThat(out()).startsWith("gamewire ");
    }
}
