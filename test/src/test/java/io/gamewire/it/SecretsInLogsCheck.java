package io.gamewire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the end-to-end tests (an execution of its own, test/pom.xml): no API key, admin token
 * or password any of them used (each {@link GamewireUnderTest} writes down its own) appears in the
 * suite's log ({@code target/test-logs/suite.log}, logback-test.xml) or in the output of a gamewire
 * process a test started ({@code target/test-logs/processes/}). Refused keys, failed logins, stack
 * traces and debug lines of the translators all went through these logs.
 */
class SecretsInLogsCheck {

    static final Path TEST_LOGS = Path.of("target", "test-logs");
    static final Path PROCESS_LOGS = TEST_LOGS.resolve("processes");
    private static final Path SECRETS = TEST_LOGS.resolve("secrets.txt");

    /** Forgets an earlier run's secrets and process logs (the suite's log logback starts anew itself). */
    static void clear() throws IOException {
        Files.deleteIfExists(SECRETS);
        if (Files.isDirectory(PROCESS_LOGS)) {
            try (Stream<Path> old = Files.list(PROCESS_LOGS)) {
                for (Path log : old.toList()) {
                    Files.delete(log);
                }
            }
        }
    }

    /** Adds {@code secrets} to the run's list (one per line). */
    static synchronized void register(Collection<String> secrets) throws IOException {
        Files.createDirectories(TEST_LOGS);
        Files.write(SECRETS, secrets, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void noKeyTokenOrPasswordOfTheSuiteIsInItsLogs() throws IOException {
        assertThat(SECRETS).as("the end-to-end tests ran first and wrote down their secrets").exists();
        List<String> secrets = Files.readAllLines(SECRETS, StandardCharsets.UTF_8).stream().distinct().toList();
        List<Path> logs = new ArrayList<>(List.of(TEST_LOGS.resolve("suite.log")));
        if (Files.isDirectory(PROCESS_LOGS)) {
            try (Stream<Path> processes = Files.list(PROCESS_LOGS)) {
                logs.addAll(processes.sorted().toList());
            }
        }
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                for (String secret : secrets) {
                    if (lines.get(i).contains(secret)) {
                        found.add(log + ":" + (i + 1) + ": " + lines.get(i));
                    }
                }
            }
        }
        assertThat(secrets).isNotEmpty();
        assertThat(found).as("%d secrets checked in %d logs", secrets.size(), logs.size()).isEmpty();
    }
}
