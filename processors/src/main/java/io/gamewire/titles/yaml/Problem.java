package io.gamewire.titles.yaml;

import java.nio.file.Path;

/**
 * One thing wrong in a title file: where (file, line, column, field path) and what.
 * Lines and columns count from 1, as editors show them.
 */
public record Problem(Path file, int line, int column, String path, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
