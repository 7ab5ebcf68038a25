package io.gamewire.titles;

import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code gamewire validate [dir]}: every title file of a folder checked as gamewire would at start,
 * without starting anything: each file on its own, then the checks across files.
 */
public final class TitleValidation {

    /** The outcome of validating a folder. */
    public record Outcome(List<Path> files, List<TitleDefinition> titles, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private TitleValidation() {
    }

    public static Outcome validate(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        }
        TitleFileParser parser = new TitleFileParser();
        List<Problem> problems = new ArrayList<>();
        List<TitleDefinition> titles = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path file : files) {
            TitleFileParser.Result result = parser.parse(file);
            problems.addAll(result.problems());
            if (result.ok()) {
                Path other = names.putIfAbsent(result.definition().title(), file);
                if (other != null) {
                    problems.add(new Problem(file, 1, 1, "title", "title '" + result.definition().title()
                            + "' is also defined in " + other));
                } else {
                    titles.add(result.definition());
                }
            }
        }
        problems.addAll(CrossTitleChecks.check(titles));
        return new Outcome(files, titles, problems);
    }
}
