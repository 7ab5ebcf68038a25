package io.gamewire.titles;

import io.gamewire.titles.yaml.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The title files of the registry's folder, each parsed once per version: the registry polls, and
 * a file whose bytes did not change is neither parsed nor has its problems logged again.
 */
final class TitleFolder {

    /** The registry's: operators know a title file's problems by that name. */
    private static final Logger LOG = LoggerFactory.getLogger(TitleRegistry.class);

    /**
     * A file as last read: the SHA-256 of its bytes (its version; for a file that could not be
     * read, why not) and what parsing it gave.
     */
    record Parsed(String version, TitleFileParser.Result result) {
    }

    private final Path dir;
    private final TitleFileParser parser = new TitleFileParser();
    private final Map<Path, Parsed> parsedFiles = new HashMap<>();

    TitleFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * The folder's {@code *.yaml} and {@code *.yml} entries, sorted; none when it cannot be listed.
     * Entries that are not regular files (a directory, a dangling link) are listed too, so that
     * they are reported as problems rather than taken for a removed title.
     */
    List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = list.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
            parsedFiles.keySet().retainAll(files);
            return files;
        } catch (IOException e) {
            LOG.error("Cannot list title files in {}: {}", dir, e.getMessage());
            return List.of();
        }
    }

    /** Parses a file, or reuses the last result when its bytes have not changed. */
    Parsed parse(Path file) {
        byte[] bytes;
        try {
            bytes = TitleFileParser.read(file);
        } catch (IOException e) {
            Problem unreadable = TitleFileParser.unreadable(file, e);
            return remember(file, "unreadable: " + unreadable.message(),
                    () -> new TitleFileParser.Result(file, null, List.of(unreadable)));
        }
        return remember(file, sha256(bytes), () -> parser.parse(file, new String(bytes, StandardCharsets.UTF_8)));
    }

    /** The last result for this version of the file, or a new one, whose problems are logged once. */
    private Parsed remember(Path file, String version, Supplier<TitleFileParser.Result> parse) {
        Parsed last = parsedFiles.get(file);
        if (last != null && last.version().equals(version)) {
            return last;
        }
        TitleFileParser.Result result = parse.get();
        Parsed parsed = new Parsed(version, result);
        parsedFiles.put(file, parsed);
        // logged once per version of the file, not at every poll
        result.problems().forEach(p -> LOG.error("Title file refused, the last good version stays: {}", p));
        return parsed;
    }

    /** The title a file is meant to hold, by its name: for a file too broken to say so itself. */
    static String titleName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
