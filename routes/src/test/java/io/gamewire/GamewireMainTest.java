package io.gamewire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GamewireMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        assertThat(GamewireMain.run(new String[] {"--help"})).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: gamewire [-hV]")
                .contains("--config=DIR").contains("--profile=NAME").contains("--set=KEY=VALUE")
                .contains("GAMEWIRE_HTTP_PORT");
    }

    @Test
    void unknownArgumentExitsTwoWithAHint() {
        assertThat(GamewireMain.run(new String[] {"--nope"})).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("gamewire: Unknown option: '--nope'").contains("--help");
    }

    @Test
    void missingConfigFolderExitsTwoNamingIt() {
        assertThat(GamewireMain.run(new String[] {"--config", "/nonexistent/gamewire-config"})).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/gamewire-config does not exist");
    }

    @Test
    void missingProfileFileFailsTheStartNamingTheFile() {
        assertThat(GamewireMain.run(new String[] {"--profile", "nosuchprofile"})).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("profile 'nosuchprofile' needs").contains("application-nosuchprofile.properties");
    }
}
