package io.gamewire.titles;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gamewire.titles.yaml.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Fuzzes {@link TitleFileParser#parse(Path, String)} with arbitrary text as a title file's content.
 * For every input the parser returns, never throws, and its result is one of two: a definition and
 * no problem, or no definition and problems, each naming a line and column inside the text and
 * saying what is wrong. So a broken file is reported, and never takes down the reload of the others.
 *
 * <p>Plain {@code mvn test} runs the empty input and the committed seeds in
 * {@code src/test/resources/io/gamewire/titles/TitleFileFuzzTestInputs/parseArbitraryText/} (the
 * shipped titles and a file of YAML aliases); fuzzing for real takes {@code JAZZER_FUZZ=1}
 * (binary-protocol/FUZZING.md).
 */
class TitleFileFuzzTest {

    private static final Path FILE = Path.of("titles", "fuzz.yaml");

    @FuzzTest(maxDuration = "3m")
    void parseArbitraryText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);

        TitleFileParser.Result result = new TitleFileParser().parse(FILE, text);

        assertThat(result.file()).isEqualTo(FILE);
        if (result.ok()) {
            assertThat(result.definition()).as("a file without problems has its definition").isNotNull();
            return;
        }
        assertThat(result.definition()).as("a file with problems has no definition").isNull();
        long lines = text.lines().count();
        for (Problem problem : result.problems()) {
            assertThat(problem.message()).as("every problem says what is wrong").isNotBlank();
            assertThat(problem.line()).as("%s", problem).isBetween(1, (int) Math.max(1, lines + 1));
            assertThat(problem.column()).as("%s", problem).isPositive();
        }
    }
}
