package io.gamewire.cli;

import io.gamewire.titles.TitleValidation;
import io.gamewire.titles.docs.TitleDocs;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code validate} and {@code docs} commands: they read title files and start nothing. */
public final class TitleCommands {

    private TitleCommands() {
    }

    /** Prints every problem of the folder's title files; 0 when there is none, 1 otherwise. */
    public static int validate(Path dir) {
        if (!Files.isDirectory(dir)) {
            System.err.println("gamewire: titles folder " + dir.toAbsolutePath() + " does not exist");
            return 2;
        }
        try {
            TitleValidation.Outcome outcome = TitleValidation.validate(dir);
            for (Problem problem : outcome.problems()) {
                System.out.println(problem);
            }
            System.out.println(outcome.files().size() + " title file(s) in " + dir + ": " + outcome.titles().size()
                    + " valid, " + outcome.problems().size() + " problem(s)");
            return outcome.ok() ? 0 : 1;
        } catch (IOException e) {
            System.err.println("gamewire: cannot read " + dir + ": " + e.getMessage());
            return 1;
        }
    }

    /** Writes the developer docs of every valid title; refuses when any file has problems. */
    public static int docs(Path dir, Path out) {
        if (validate(dir) != 0) {
            System.err.println("gamewire: docs are written only from valid title files");
            return 1;
        }
        try {
            List<TitleDefinition> titles = TitleValidation.validate(dir).titles();
            List<Path> written = TitleDocs.write(titles, out);
            written.forEach(file -> System.out.println("wrote " + file));
            return 0;
        } catch (IOException e) {
            System.err.println("gamewire: cannot write docs into " + out + ": " + e.getMessage());
            return 1;
        }
    }
}
