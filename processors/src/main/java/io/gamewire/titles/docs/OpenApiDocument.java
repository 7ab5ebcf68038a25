package io.gamewire.titles.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.util.Map;

/**
 * The OpenAPI 3 document of one title's HTTP endpoints: one POST path per routing key, and one GET
 * {@code /v1/query/...} path per routing key of a query command.
 */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    static ObjectNode of(ObjectMapper json, TitleDefinition title) {
        ObjectNode root = json.createObjectNode();
        root.put("openapi", "3.0.3");
        ObjectNode info = root.putObject("info");
        info.put("title", "gamewire: " + title.title());
        info.put("description", title.description().isEmpty() ? "Events of " + title.title() : title.description());
        info.put("version", "1");
        root.putArray("servers").addObject().put("url", "http://127.0.0.1:8080");
        ObjectNode paths = root.putObject("paths");
        for (String env : title.environments()) {
            for (ServiceDefinition service : title.services().values()) {
                for (CommandDefinition command : service.commands().values()) {
                    String key = title.title() + "." + env + "." + service.name() + "." + command.name();
                    paths.set("/v1/events/" + key, post(json, key, command));
                    if (command.query() != null) {
                        paths.set("/v1/query/" + key, query(json, key, command));
                    }
                }
            }
        }
        ObjectNode read = paths.putObject("/v1/events/{messageId}").putObject("get");
        read.put("operationId", "readEvent");
        read.put("summary", "Read a stored event by its message id");
        read.putArray("parameters").addObject().put("name", "messageId").put("in", "path").put("required", true)
                .putObject("schema").put("type", "string").put("format", "uuid");
        ObjectNode readResponses = read.putObject("responses");
        readResponses.putObject("200").put("description", "the stored event").putObject("content")
                .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/StoredEvent");
        readResponses.set("400", problem(json, "malformed message id"));
        readResponses.set("404", problem(json, "no event with this id"));

        ObjectNode components = root.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode accepted = schemas.putObject("Accepted");
        accepted.put("type", "object");
        accepted.putObject("properties").putObject("messageId").put("type", "string").put("format", "uuid");
        ObjectNode problem = schemas.putObject("Problem");
        problem.put("type", "object");
        ObjectNode problemProperties = problem.putObject("properties");
        problemProperties.putObject("status").put("type", "integer");
        problemProperties.putObject("error").put("type", "string");
        problemProperties.putObject("message").put("type", "string");
        ObjectNode stored = schemas.putObject("StoredEvent");
        stored.put("type", "object");
        ObjectNode storedProperties = stored.putObject("properties");
        for (String field : new String[] {"messageId", "routingKey", "contentType", "eventTime", "receivedAt"}) {
            storedProperties.putObject(field).put("type", "string");
        }
        storedProperties.putObject("payload").put("description", "the payload: JSON as sent, or base64 text");
        components.putObject("securitySchemes").putObject("apiKey").put("type", "http").put("scheme", "bearer");
        root.putArray("security").addObject().putArray("apiKey");
        return root;
    }

    /**
     * The operation {@code method} of a path: its id ({@code verb_} and the routing key with
     * underscores) and its summary (the command's description, else "Verb key").
     */
    private static ObjectNode operation(ObjectNode path, String method, String verb, String key,
                                        CommandDefinition command) {
        ObjectNode operation = path.putObject(method);
        operation.put("operationId", verb + "_" + key.replace('.', '_').replace('-', '_'));
        operation.put("summary", command.description().isEmpty()
                ? Character.toUpperCase(verb.charAt(0)) + verb.substring(1) + " " + key : command.description());
        return operation;
    }

    private static ObjectNode post(ObjectMapper json, String key, CommandDefinition command) {
        ObjectNode path = json.createObjectNode();
        ObjectNode post = operation(path, "post", "publish", key, command);
        ObjectNode body = post.putObject("requestBody");
        body.put("required", true);
        ObjectNode schema = body.putObject("content").putObject("application/json").putObject("schema");
        schema.put("type", "object");
        if (command.schema() != null) {
            ObjectNode properties = schema.putObject("properties");
            for (Map.Entry<String, FieldType> field : command.schema().fields().entrySet()) {
                properties.putObject(field.getKey()).put("type", field.getValue().yamlName());
            }
            ArrayNode required = schema.putArray("required");
            command.schema().required().forEach(required::add);
        }
        body.with("content").with("application/json").set("example", SamplePayloads.of(json, command));
        ObjectNode responses = post.putObject("responses");
        responses.putObject("202").put("description", "accepted: the broker confirmed the event").putObject("content")
                .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Accepted");
        responses.set("400", problem(json, "bad routing key, invalid JSON, or a payload that breaks the schema"));
        responses.set("401", problem(json, "missing or unknown API key"));
        responses.set("403", problem(json, "the key may not publish to this title or environment"));
        responses.set("413", problem(json, "body over the limit"));
        responses.set("429", problem(json, "rate limit of the key exceeded; see Retry-After"));
        responses.set("503", problem(json, "the broker did not confirm: the outcome is unknown; resend with the same"
                + " message id (header Gw-Message-Id), which is stored once"));
        return path;
    }

    private static ObjectNode query(ObjectMapper json, String key, CommandDefinition command) {
        ObjectNode path = json.createObjectNode();
        ObjectNode get = operation(path, "get", "query", key, command);
        ArrayNode parameters = get.putArray("parameters");
        for (String field : TitleDocs.queryFields(command)) {
            FieldType type = command.schema() == null ? null : command.schema().fields().get(field);
            ObjectNode parameter = parameters.addObject().put("name", field).put("in", "query")
                    .put("required", command.schema() != null && command.schema().required().contains(field));
            parameter.putObject("schema").put("type", type == null ? "string" : type.yamlName());
        }
        ObjectNode responses = get.putObject("responses");
        responses.putObject("200").put("description", "the record, from the query's first source that has it")
                .putObject("content").putObject("application/json").putObject("schema").put("type", "object");
        responses.set("400", problem(json, "a parameter the query needs is missing or of the wrong type"));
        responses.set("401", problem(json, "missing or unknown API key"));
        responses.set("403", problem(json, "the key may not query this title or environment"));
        responses.set("404", problem(json, "no source has the record"));
        responses.set("503", problem(json, "the KV store or the database failed, or too many requests wait; retry"));
        responses.set("504", problem(json, "no reply in time"));
        return path;
    }

    private static ObjectNode problem(ObjectMapper json, String description) {
        ObjectNode response = json.createObjectNode();
        response.put("description", description);
        response.putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", "#/components/schemas/Problem");
        return response;
    }
}
