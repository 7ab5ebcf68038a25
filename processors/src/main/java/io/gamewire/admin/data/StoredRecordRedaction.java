package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gamewire.pulls.PullState;
import io.gamewire.sinks.EventView;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.KeyTemplate;
import io.gamewire.titles.model.QuerySpec;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A raw KV record or cache entry ({@code GET /v1/admin/kv?key=}, {@code GET /v1/admin/cache?key=}) as
 * an operator may see it. A key says nothing of what wrote it, so the record is matched against the
 * key templates of the titles in force ({@link KeyTemplate#pattern}); {@code writtenBy} in the answer
 * names the templates that match:
 * <ul>
 *   <li><b>KV record.</b> A field that a matching {@code kv:} sink takes from a {@code redact: true}
 *       field is {@code "***"}. A field no matching sink writes (no template matches, or a user route
 *       added it) is {@code "***"} as soon as any title marks a field, since nothing says where it
 *       came from (fail closed). gamewire's own pull state ({@code gw-pull:<title>:<pull>}) is shown as
 *       it is.</li>
 *   <li><b>Cache entry.</b> A {@code cache:} sink's entry (the event's payload) is redacted by its
 *       command's schema; an event view ({@code event:<id>}) by the command of its routing key; a
 *       query's cached answer loses the fields that its table's redacted columns, or the title's KV
 *       fields taken from redacted fields, hold (and fields neither source knows, when any title marks
 *       a field). An entry no template matches is {@code "***"} whole when any title marks a field.</li>
 * </ul>
 * Where several templates match, every one's masking applies: a key is never shown less masked
 * because another template also matches it.
 */
public final class StoredRecordRedaction {

    private static final java.util.UUID ANY_ID = new java.util.UUID(0, 0);
    /** {@code event:<message id>}: the keys {@link EventView#cacheKey} makes. */
    private static final Pattern EVENT_VIEW = Pattern.compile(Pattern.quote(EventView.cacheKey(ANY_ID)
            .replace(ANY_ID.toString(), "")) + "[0-9a-fA-F-]{36}");
    /** {@code gw-pull:}: the keys {@link PullState#key} makes. */
    private static final String PULL_STATE_PREFIX = PullState.key("", "").replaceAll(":+$", ":");

    /** A command of a title in force, with what identifies it. */
    private record Command(TitleDefinition title, ServiceDefinition service, CommandDefinition definition) {
        String name() {
            return title.title() + "." + service.name() + "." + definition.name();
        }

        Set<String> redacted() {
            return definition.schema() == null ? Set.of() : definition.schema().redacted();
        }

        boolean matches(KeyTemplate template, String key) {
            return template.pattern(title.title(), title.environments(), service.name(), definition.name()).matcher(key)
                    .matches();
        }
    }

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final PayloadRedaction redaction;

    public StoredRecordRedaction(ObjectMapper json, TitleRegistry titles, PayloadRedaction redaction) {
        this.json = json;
        this.titles = titles;
        this.redaction = redaction;
    }

    /** {@code {key, fields, writtenBy}}: the record's fields, masked as the class says. */
    public ObjectNode kvRecord(String key, Map<String, String> fields) {
        ObjectNode answer = json.createObjectNode().put("key", key);
        ArrayNode writtenBy = json.createArrayNode();
        ObjectNode shown = answer.putObject("fields");
        if (key.startsWith(PULL_STATE_PREFIX)) {
            writtenBy.add("gamewire's pull state");
            new TreeMap<>(fields).forEach(shown::put);
            answer.set("writtenBy", writtenBy);
            return answer;
        }
        List<Command> writers = new ArrayList<>();
        for (Command command : commands()) {
            if (command.definition().kv() != null && command.matches(command.definition().kv().key(), key)) {
                writers.add(command);
                writtenBy.add(command.name() + " kv " + command.definition().kv().key());
            }
        }
        boolean anyRedacted = redaction.anyFieldRedacted();
        new TreeMap<>(fields).forEach((field, value) -> {
            List<Command> writing = writers.stream().filter(c -> c.definition().kv().fields().containsKey(field)).toList();
            boolean masked = writing.isEmpty() ? anyRedacted : writing.stream().anyMatch(c ->
                    PayloadRedaction.derivedFromRedacted(c.redacted(), c.definition().kv().fields().get(field)));
            shown.put(field, masked ? PayloadRedaction.MASK : value);
        });
        answer.set("writtenBy", writtenBy);
        return answer;
    }

    /** {@code {key, bytes, value, encoding, writtenBy}}: the entry, masked as the class says. */
    public ObjectNode cacheEntry(String key, byte[] bytes) {
        ObjectNode answer = json.createObjectNode().put("key", key).put("bytes", bytes.length);
        JsonNode value;
        try {
            value = json.readTree(bytes);
        } catch (IOException e) {
            value = null;
        }
        boolean anyRedacted = redaction.anyFieldRedacted();
        ArrayNode writtenBy = json.createArrayNode();
        boolean matched = false;
        boolean masksFields = false;
        if (EVENT_VIEW.matcher(key).matches()) {
            matched = true;
            writtenBy.add("gamewire's event view");
            if (value != null && value.isObject() && value.path("routingKey").isTextual()) {
                ObjectNode view = ((ObjectNode) value).deepCopy();
                view.set("payload", redaction.redact(view.get("routingKey").asText(), view.path("payload")));
                value = view;
            } else {
                masksFields = anyRedacted;
            }
        }
        for (Command command : commands()) {
            CommandDefinition definition = command.definition();
            if (definition.cache() != null && command.matches(definition.cache().key(), key)) {
                matched = true;
                writtenBy.add(command.name() + " cache " + definition.cache().key());
                masksFields |= !command.redacted().isEmpty();
                if (value != null) {
                    value = PayloadRedaction.redact(definition.schema(), value);
                }
            }
            QuerySpec query = definition.query();
            if (query != null && query.cache() != null && command.matches(query.cache().key(), key)) {
                matched = true;
                writtenBy.add(command.name() + " query cache " + query.cache().key());
                masksFields |= anyRedacted;
                if (value != null) {
                    value = queryAnswer(command, query, value, anyRedacted);
                }
            }
        }
        answer.set("writtenBy", writtenBy);
        if (!matched && anyRedacted || value == null && masksFields) {
            return answer.put("value", PayloadRedaction.MASK).put("encoding", value == null ? "base64" : "json");
        }
        if (value == null) {
            return answer.put("value", Base64.getEncoder().encodeToString(bytes)).put("encoding", "base64");
        }
        answer.set("value", value);
        return answer.put("encoding", "json");
    }

    /**
     * A query's cached answer (a KV record's fields or a table row's columns) without what is
     * redacted where it came from: a column of the query's table that {@link RedactedColumns} names, a
     * field that a {@code kv:} sink of the title takes from a redacted field, and, when any title
     * marks a field, a field that neither source knows.
     */
    private JsonNode queryAnswer(Command command, QuerySpec query, JsonNode answer, boolean anyRedacted) {
        if (!answer.isObject()) {
            return anyRedacted ? TextNode.valueOf(PayloadRedaction.MASK) : answer;
        }
        RedactedColumns columns = RedactedColumns.of(titles);
        ObjectNode shown = ((ObjectNode) answer).deepCopy();
        for (Iterator<String> names = answer.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            boolean known = false;
            boolean masked = false;
            if (query.sql() != null && query.sql().table().columns().containsKey(field)) {
                known = true;
                masked = columns.contains(query.sql().table().table(), field);
            }
            if (query.kv() != null) {
                for (Command writer : commands()) {
                    if (writer.title() != command.title() || writer.definition().kv() == null) {
                        continue;
                    }
                    JsonPath from = writer.definition().kv().fields().get(field);
                    if (from != null) {
                        known = true;
                        masked |= PayloadRedaction.derivedFromRedacted(writer.redacted(), from);
                    }
                }
            }
            if (masked || !known && anyRedacted) {
                shown.put(field, PayloadRedaction.MASK);
            }
        }
        return shown;
    }

    private List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        for (TitleDefinition title : titles.titles().values()) {
            for (ServiceDefinition service : title.services().values()) {
                for (CommandDefinition command : service.commands().values()) {
                    commands.add(new Command(title, service, command));
                }
            }
        }
        return commands;
    }
}
