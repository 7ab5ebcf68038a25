package io.gamewire.titles.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One game title, as {@code config/titles/<title>.yaml} declares it. The schema is in
 * {@code docs/titles.md}.
 *
 * @param pulls the scheduled pulls from the publisher's web API, by name in file order; empty when
 *              the file has no {@code pulls:}
 * @param capacity what the capacity planner may do with the title's consumers, and its forecast's
 *                 parameters; {@link CapacitySettings#DEFAULTS} when the file has no {@code capacity:}
 */
public record TitleDefinition(Path file, String title, String description, List<String> environments,
                              List<ApiKeyDefinition> keys, Map<String, ServiceDefinition> services,
                              Map<String, PullDefinition> pulls, CapacitySettings capacity) {

    /** A title with the default capacity settings. */
    public TitleDefinition(Path file, String title, String description, List<String> environments,
                           List<ApiKeyDefinition> keys, Map<String, ServiceDefinition> services,
                           Map<String, PullDefinition> pulls) {
        this(file, title, description, environments, keys, services, pulls, CapacitySettings.DEFAULTS);
    }

    /** Every {@code title.env.service} this title has a queue for. */
    public List<String> serviceKeys() {
        return environments.stream()
                .flatMap(env -> services.keySet().stream().map(service -> title + "." + env + "." + service))
                .toList();
    }
}
