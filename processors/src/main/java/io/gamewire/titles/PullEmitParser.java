package io.gamewire.titles;

import io.gamewire.protocol.InvalidRoutingKeyException;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition.Emit;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.yaml.YamlNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a pull makes of each item ({@code emit:}): the routing key, checked against the
 * title's own environments, services and commands, which is why it is built with them, and the
 * paths of the payload and the id.
 */
final class PullEmitParser {

    private static final JsonPath WHOLE_ITEM = JsonPath.parse("$").orElseThrow();

    private final String title;
    private final List<String> environments;
    private final Map<String, ServiceDefinition> services;

    /**
     * @param title        the title's name, null when it is invalid (routing keys are then not
     *                     checked against it)
     * @param environments the title's environments
     * @param services     the title's services, to check that a pull emits to a declared command
     */
    PullEmitParser(String title, List<String> environments, Map<String, ServiceDefinition> services) {
        this.title = title;
        this.environments = environments;
        this.services = services;
    }

    Emit emit(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("routing-key", "payload", "id"), Set.of("routing-key", "id"));
        String routingKey = Optional.ofNullable(fields.get("routing-key")).flatMap(this::routingKey).orElse(null);
        JsonPath payload = Optional.ofNullable(fields.get("payload"))
                .flatMap(n -> PullValues.path(n,
                        "the payload within the item: $ for the whole item, or such as $.result", true))
                .orElse(fields.containsKey("payload") ? null : WHOLE_ITEM);
        JsonPath id = Optional.ofNullable(fields.get("id"))
                .flatMap(n -> PullValues.path(n,
                        "the item's id: $ for the item itself (an API that lists bare ids), or such as $.id",
                        true))
                .orElse(null);
        return new Emit(routingKey, payload, id);
    }

    /** {@code title.env.service.command} of this title: an environment it has, a command it declares. */
    private Optional<String> routingKey(YamlNode node) {
        return node.text().filter(text -> {
            RoutingKey key;
            try {
                key = RoutingKey.parse(text);
            } catch (InvalidRoutingKeyException e) {
                node.problem(e.getMessage());
                return false;
            }
            if (title == null) {
                return true; // the title's own name is wrong, and reported
            }
            String problem = null;
            if (!key.title().equals(title)) {
                problem = "routing key '" + text + "' is of title '" + key.title() + "'; a pull emits to its own"
                        + " title, '" + title + "'";
            } else if (!environments.contains(key.env())) {
                problem = "environment '" + key.env() + "' is not one of the title's environments " + environments;
            } else if (!services.containsKey(key.service())) {
                problem = "title '" + title + "' has no service '" + key.service() + "' (services: "
                        + String.join(", ", services.keySet()) + ")";
            } else {
                Map<String, CommandDefinition> commands = services.get(key.service()).commands();
                if (!commands.containsKey(key.command())) {
                    problem = "service '" + key.serviceKey() + "' has no command '" + key.command() + "' (commands: "
                            + String.join(", ", commands.keySet()) + ")";
                }
            }
            if (problem != null) {
                node.problem(problem);
            }
            return problem == null;
        });
    }
}
