package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.sinks.sql.RowUpserter;
import java.util.Iterator;
import java.util.TreeSet;

/**
 * Two event views ({@link EventInspector}) side by side and what differs between them, for
 * {@code GET /v1/admin/compare?a=&b=} (typically a production event and its replay in staging):
 * the payload's fields, the title row's columns, the KV record's fields and the cache entry. The
 * row's bookkeeping columns ({@code gw_message_id}, {@code gw_event_time}) are left out of the
 * differences: they differ between any two events.
 */
public final class EventComparison {

    private final ObjectMapper json;

    public EventComparison(ObjectMapper json) {
        this.json = json;
    }

    /** {@code {"a": view, "b": view, "differences": {"payload": [...], "sql": [...], "kv": [...], "cache": [...]}}}. */
    public ObjectNode compare(ObjectNode a, ObjectNode b) {
        ObjectNode answer = json.createObjectNode();
        answer.set("a", a);
        answer.set("b", b);
        ObjectNode differences = answer.putObject("differences");
        differences.set("payload", fields(a.path("payload"), b.path("payload"), "field"));
        differences.set("sql", fields(a.path("sql").path("row"), b.path("sql").path("row"), "column"));
        differences.set("kv", fields(a.path("kv").path("fields"), b.path("kv").path("fields"), "field"));
        ArrayNode cache = json.createArrayNode();
        if (!a.path("cache").path("value").equals(b.path("cache").path("value"))) {
            cache.add(difference("value", a.path("cache").path("value"), b.path("cache").path("value")));
        }
        differences.set("cache", cache);
        return answer;
    }

    /** Every top-level field whose value differs (missing counts as null), as {name, a, b}. */
    private ArrayNode fields(JsonNode a, JsonNode b, String label) {
        ArrayNode found = json.createArrayNode();
        TreeSet<String> names = new TreeSet<>();
        names(a, names);
        names(b, names);
        names.remove(RowUpserter.MESSAGE_ID_COLUMN);
        names.remove(RowUpserter.EVENT_TIME_COLUMN);
        if (!a.isObject() && !b.isObject() && !a.equals(b)) {
            found.add(difference(label, a, b).put(label, "(whole)"));
            return found;
        }
        for (String name : names) {
            JsonNode left = a.path(name);
            JsonNode right = b.path(name);
            if (!same(left, right)) {
                found.add(difference(label, left, right).put(label, name));
            }
        }
        return found;
    }

    private static void names(JsonNode node, TreeSet<String> names) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
        }
    }

    /** Missing and null are the same; otherwise JSON equality. */
    private static boolean same(JsonNode a, JsonNode b) {
        boolean aAbsent = a.isMissingNode() || a.isNull();
        boolean bAbsent = b.isMissingNode() || b.isNull();
        return aAbsent && bAbsent || a.equals(b);
    }

    private ObjectNode difference(String label, JsonNode a, JsonNode b) {
        ObjectNode node = json.createObjectNode().put(label, "");
        node.set("a", a.isMissingNode() ? json.nullNode() : a);
        node.set("b", b.isMissingNode() ? json.nullNode() : b);
        return node;
    }
}
