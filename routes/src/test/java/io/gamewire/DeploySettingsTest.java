package io.gamewire;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.config.EnvironmentNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files of {@code deploy/} set only real settings: every {@code GAMEWIRE_*}
 * environment variable in the compose file, the systemd unit and the Dockerfile is the variable
 * of a key of {@code config/application.properties} or {@code application-prod.properties} (dots
 * and dashes as underscores, {@link EnvironmentNames}), or one the command line reads itself
 * ({@code GAMEWIRE_PROFILE}, {@code GAMEWIRE_CONFIG_DIR}). A misspelt variable would be ignored
 * without a word at start, and the setting left at its default. And each file gives a stop more
 * time than gamewire's own stop takes.
 */
class DeploySettingsTest {

    private static final Path CONFIG = Path.of("../config");
    private static final Path DEPLOY = Path.of("../deploy");
    /** Read by the command line ({@code ConfigOptions}), not by the properties. */
    private static final Set<String> COMMAND_LINE = Set.of("GAMEWIRE_PROFILE", "GAMEWIRE_CONFIG_DIR");
    private static final Pattern VARIABLE = Pattern.compile("\\b(GAMEWIRE_[A-Z0-9_]+)=");

    @Test
    void everyGamewireVariableOfTheComposeFileIsASetting() throws IOException {
        Map<String, String> environment = composeEnvironment();
        assertThat(environment).as("GAMEWIRE_ variables found in deploy/compose.yaml").hasSizeGreaterThan(10)
                .containsEntry("GAMEWIRE_BROKER_ADDRESSES", "rabbit1:5672,rabbit2:5672,rabbit3:5672");
        assertThat(unknown(environment.keySet())).as("not gamewire settings, in deploy/compose.yaml").isEmpty();
    }

    @Test
    void everyGamewireVariableOfTheSystemdUnitAndTheDockerfileIsASetting() throws IOException {
        Set<String> unit = variables(Files.readAllLines(DEPLOY.resolve("gamewire.service")).stream()
                .filter(line -> line.startsWith("Environment=")).collect(Collectors.joining("\n")));
        assertThat(unit).as("Environment= lines of deploy/gamewire.service").contains("GAMEWIRE_BROKER_ADDRESSES");
        assertThat(unknown(unit)).as("not gamewire settings, in deploy/gamewire.service").isEmpty();

        Set<String> image = variables(Files.readString(DEPLOY.resolve("Dockerfile")));
        assertThat(image).as("ENV of deploy/Dockerfile").contains("GAMEWIRE_PROFILE", "GAMEWIRE_HTTP_HOST");
        assertThat(unknown(image)).as("not gamewire settings, in deploy/Dockerfile").isEmpty();
    }

    @Test
    void aMisspeltVariableIsFound() throws IOException {
        assertThat(unknown(Set.of("GAMEWIRE_BROKER_ADRESSES", "GAMEWIRE_BROKER_ADDRESSES")))
                .containsExactly("GAMEWIRE_BROKER_ADRESSES");
    }

    @Test
    void theSupervisorsWaitLongerThanGamewiresStop() throws IOException {
        Properties defaults = properties(CONFIG.resolve("application.properties"));
        // the GWP drain runs first, and Camel's shutdown timeout starts after it (IngestConfiguration)
        long stopSeconds = Long.parseLong(defaults.getProperty("camel.main.shutdown-timeout").trim())
                + Long.parseLong(defaults.getProperty("gamewire.tcp.drain-timeout-ms").trim()) / 1000;

        String unit = Files.readString(DEPLOY.resolve("gamewire.service"));
        assertThat(seconds(unit, "^TimeoutStopSec=(\\d+)$")).as("TimeoutStopSec of deploy/gamewire.service")
                .isGreaterThan(stopSeconds);
        assertThat(unit).contains("\nKillSignal=SIGTERM\n");
        String compose = Files.readString(DEPLOY.resolve("compose.yaml"));
        assertThat(seconds(compose, "^\\s*stop_grace_period: (\\d+)s$")).as("stop_grace_period of deploy/compose.yaml")
                .isGreaterThan(stopSeconds);
    }

    /** The variables of {@code names} that are neither a setting's nor the command line's. */
    private static Set<String> unknown(Set<String> names) throws IOException {
        Set<String> known = new TreeSet<>(COMMAND_LINE);
        for (String file : List.of("application.properties", "application-prod.properties")) {
            properties(CONFIG.resolve(file)).stringPropertyNames().forEach(key -> known.add(EnvironmentNames.of(key)));
        }
        return names.stream().filter(name -> !known.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every {@code environment:} mapping anywhere in the compose file (services, and the x- blocks they merge). */
    private static Map<String, String> composeEnvironment() throws IOException {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(DEPLOY.resolve("compose.yaml")));
        Map<String, String> found = new LinkedHashMap<>();
        collect(document, found);
        return found;
    }

    private static void collect(Object node, Map<String, String> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("environment".equals(key) && value instanceof Map<?, ?> environment) {
                    environment.forEach((name, setting) -> {
                        if (String.valueOf(name).startsWith("GAMEWIRE_")) {
                            found.put(String.valueOf(name), String.valueOf(setting));
                        }
                    });
                } else {
                    collect(value, found);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, found));
        }
    }

    private static Set<String> variables(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = VARIABLE.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static long seconds(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(matcher.find()).as("%s in the file", regex).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
