package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /v1/admin/titles}: the titles in force (environments, services and their queues,
 * commands with their routing keys, sinks and query, pulls), every routing key they declare, and the
 * title files that are not in force as written with their problem (their last good version, if any,
 * is among the titles in force).
 */
public final class TitleCatalog {

    private final ObjectMapper json;
    private final TitleRegistry titles;

    public TitleCatalog(ObjectMapper json, TitleRegistry titles) {
        this.json = json;
        this.titles = titles;
    }

    public ObjectNode describe() {
        ObjectNode answer = json.createObjectNode().put("loaded", titles.loaded());
        ArrayNode list = answer.putArray("titles");
        TreeSet<String> routingKeys = new TreeSet<>();
        for (TitleDefinition title : new TreeMap<>(titles.titles()).values()) {
            list.add(title(title, routingKeys));
        }
        ArrayNode keys = answer.putArray("routingKeys");
        routingKeys.forEach(keys::add);
        ArrayNode notInForce = answer.putArray("notInForce");
        for (Map.Entry<String, String> problem : new TreeMap<>(titles.notInForceAsWritten()).entrySet()) {
            notInForce.add(json.createObjectNode().put("title", problem.getKey()).put("problem", problem.getValue())
                    .put("lastGoodVersionInForce", titles.titles().containsKey(problem.getKey())));
        }
        return answer;
    }

    private ObjectNode title(TitleDefinition title, TreeSet<String> routingKeys) {
        ObjectNode node = json.createObjectNode().put("title", title.title()).put("description", title.description())
                .put("file", title.file() == null ? null : title.file().toString());
        ArrayNode environments = node.putArray("environments");
        title.environments().forEach(environments::add);
        ArrayNode services = node.putArray("services");
        for (ServiceDefinition service : title.services().values()) {
            ObjectNode serviceNode = services.addObject().put("service", service.name())
                    .put("consumerTemplate", service.consumerTemplate())
                    .put("minConsumers", service.minConsumers()).put("maxConsumers", service.maxConsumers());
            ArrayNode queues = serviceNode.putArray("queues");
            title.environments().forEach(env -> queues.add(title.title() + "." + env + "." + service.name()));
            ArrayNode commands = serviceNode.putArray("commands");
            for (CommandDefinition command : service.commands().values()) {
                ObjectNode commandNode = commands.addObject().put("command", command.name())
                        .put("description", command.description()).put("schema", command.schema() != null)
                        .put("query", command.query() != null).put("eventRow", command.eventRow());
                ArrayNode sinks = commandNode.putArray("sinks");
                if (command.sql() != null) {
                    sinks.add("sql:" + command.sql().table());
                }
                if (command.kv() != null) {
                    sinks.add("kv:" + command.kv().key());
                }
                if (command.cache() != null) {
                    sinks.add("cache:" + command.cache().key());
                }
                ArrayNode keys = commandNode.putArray("routingKeys");
                for (String env : title.environments()) {
                    String key = title.title() + "." + env + "." + service.name() + "." + command.name();
                    keys.add(key);
                    routingKeys.add(key);
                }
            }
        }
        ArrayNode pulls = node.putArray("pulls");
        for (PullDefinition pull : title.pulls().values()) {
            pulls.addObject().put("pull", pull.name()).put("schedule", pull.schedule().describe());
        }
        return node;
    }
}
