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
 * or password any of them used (each {@link GamewireUnderTest} writes down its own), nor its hex
 * form (as byte dumps show it), appears in the suite's log ({@code target/test-logs/suite.log}, at
 * INFO and above, Camel at WARN: logback-test.xml) or in the output of a gamewire process a test
 * started ({@code target/test-logs/processes/}). Both must be this build's: the list of secrets
 * and the log carry its run id, and a build without end-to-end tests has nothing to check.
 */
class SecretsInLogsCheck {

    static final Path TEST_LOGS = Path.of("target", "test-logs");
    static final Path PROCESS_LOGS = TEST_LOGS.resolve("processes");
    private static final Path SECRETS = TEST_LOGS.resolve("secrets.txt");

    /** This build's run (test/pom.xml: the Maven build's time stamp), or {@code local} outside Maven. */
    static final String RUN = System.getProperty("gamewire.test.run", "local");
    private static final String RUN_HEADER = "# run ";
    private static final String RUN_LOG_LINE = "end-to-end test run ";

    /**
     * Starts this run's list of secrets (forgetting an earlier run's, and its process logs) and marks
     * the suite's log with the run, so the check knows both are this build's.
     */
    static void startRun() throws IOException {
        Files.createDirectories(TEST_LOGS);
        Files.writeString(SECRETS, RUN_HEADER + RUN + "\n", StandardCharsets.UTF_8);
        if (Files.isDirectory(PROCESS_LOGS)) {
            try (Stream<Path> old = Files.list(PROCESS_LOGS)) {
                for (Path log : old.toList()) {
                    Files.delete(log);
                }
            }
        }
        org.slf4j.LoggerFactory.getLogger(SecretsInLogsCheck.class).info("{}{}", RUN_LOG_LINE, RUN);
    }

    /** Adds {@code secrets} to the run's list (one per line). */
    static synchronized void register(Collection<String> secrets) throws IOException {
        Files.createDirectories(TEST_LOGS);
        Files.write(SECRETS, secrets, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void noKeyTokenOrPasswordOfTheSuiteIsInItsLogs() throws IOException {
        List<String> lines = Files.exists(SECRETS) ? Files.readAllLines(SECRETS, StandardCharsets.UTF_8) : List.of();
        org.junit.jupiter.api.Assumptions.assumeTrue(!lines.isEmpty() && lines.get(0).equals(RUN_HEADER + RUN),
                "no end-to-end test of this build (run " + RUN + ") registered secrets: nothing to check");
        Path suiteLog = TEST_LOGS.resolve("suite.log");
        assertThat(Files.readString(suiteLog, StandardCharsets.UTF_8)).as("%s is this run's log", suiteLog)
                .contains(RUN_LOG_LINE + RUN);
        List<String> secrets = new ArrayList<>();
        for (String secret : lines.subList(1, lines.size()).stream().distinct().toList()) {
            secrets.add(secret);
            // as Netty and others dump bytes: hex, lower and upper case
            String hex = java.util.HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
            secrets.add(hex);
            secrets.add(hex.toUpperCase(java.util.Locale.ROOT));
        }
        List<Path> logs = new ArrayList<>(List.of(suiteLog));
        if (Files.isDirectory(PROCESS_LOGS)) {
            try (Stream<Path> processes = Files.list(PROCESS_LOGS)) {
                logs.addAll(processes.sorted().toList());
            }
        }
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            List<String> logLines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < logLines.size(); i++) {
                String line = logLines.get(i).replace(" ", "");
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        found.add(log + ":" + (i + 1) + ": " + logLines.get(i));
                    }
                }
            }
            // a secret in a byte dump runs over its rows: each dump's bytes read back whole
            // (the dump's bytes read as Latin-1, so each secret's UTF-8 bytes are too)
            dumps(logLines).forEach((firstLine, bytes) -> secrets.stream()
                    .map(secret -> new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                    .filter(bytes::contains).forEach(secret ->
                            found.add(log + ":" + firstLine + ": a byte dump from this line holds a secret")));
        }
        assertThat(secrets).isNotEmpty();
        assertThat(found).as("%d secrets (with their hex forms) checked in %d logs", secrets.size() / 3, logs.size())
                .isEmpty();
    }

    /** A row of a byte dump as Netty writes it: {@code |00000010| 47 57 50 01 ... |GWP.|}. */
    private static final java.util.regex.Pattern DUMP_ROW =
            java.util.regex.Pattern.compile("^\\|[0-9a-f]{8}\\|((?: [0-9a-f]{2}){1,16})");

    /**
     * The bytes of each byte dump in {@code lines} (consecutive dump rows), as Latin-1 text, by the
     * number of its first line: what the dump showed split over rows, whole again.
     */
    static java.util.Map<Integer, String> dumps(List<String> lines) {
        java.util.Map<Integer, String> dumps = new java.util.LinkedHashMap<>();
        StringBuilder hex = new StringBuilder();
        int first = 0;
        for (int i = 0; i <= lines.size(); i++) {
            java.util.regex.Matcher row = i < lines.size() ? DUMP_ROW.matcher(lines.get(i)) : null;
            if (row != null && row.find()) {
                if (hex.length() == 0) {
                    first = i + 1;
                }
                hex.append(row.group(1).replace(" ", ""));
            } else if (hex.length() > 0) {
                dumps.put(first, new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1));
                hex.setLength(0);
            }
        }
        return dumps;
    }
}
