package io.gamewire.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Commands of the machine a test runs (rabbitmqctl, mount), each with a time limit that holds. */
final class Commands {

    private Commands() {
    }

    /**
     * Runs {@code command} to its end, within {@code limit}; its output goes to a file, so that a
     * command that hangs cannot block the read of it.
     *
     * @throws IllegalStateException with the command's output when it fails or overruns its limit
     */
    static void run(Duration limit, List<String> command) throws IOException, InterruptedException {
        output(limit, command, null, Map.of());
    }

    /**
     * As {@link #run(Duration, List)}, in {@code directory} (null: the JVM's) with {@code environment}
     * added to the JVM's; returns the command's output (standard error too).
     */
    static String output(Duration limit, List<String> command, Path directory, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("gamewire-command-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command)
                        + (ended ? " failed (exit " + process.exitValue() + ")" : " did not end within " + limit)
                        + ": " + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
