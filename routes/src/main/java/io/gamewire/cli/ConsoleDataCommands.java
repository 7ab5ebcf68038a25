package io.gamewire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.SharedJson;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's commands that read what gamewire stored: {@code event}, {@code kv}, {@code cache},
 * {@code sql} and {@code compare}. {@link Console} names them and says how they are written.
 */
record ConsoleDataCommands(ConsoleApi api, ConsoleOutput out) {

    int event(String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() != 1) {
            throw new UsageException("event takes one message id");
        }
        out.json(api.get("v1/admin/events/" + AdminPaths.segment(words.get(0))));
        return Console.OK;
    }

    /** {@code kv get KEY} and {@code cache get KEY}: the raw record of {@code store}. */
    int rawGet(String store, String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() != 2 || !words.get(0).equals("get")) {
            throw new UsageException(store + " takes get and one key");
        }
        out.json(api.get("v1/admin/" + store + "?key=" + AdminPaths.query(words.get(1))));
        return Console.OK;
    }

    int sql(String rest) throws AdminClient.AdminException {
        if (rest.isEmpty()) {
            throw new UsageException("sql takes a SELECT");
        }
        ObjectNode request = SharedJson.MAPPER.createObjectNode().put("sql", rest);
        JsonNode answer = api.post("v1/admin/sql", request);
        List<String> headers = new ArrayList<>();
        answer.path("columns").forEach(column -> headers.add(column.asText()));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : answer.path("rows")) {
            List<String> cells = new ArrayList<>();
            row.forEach(value -> cells.add(ConsoleOutput.cell(value)));
            rows.add(cells);
        }
        out.table(headers, rows);
        out.line(rows.size() + " row(s)" + (answer.path("truncated").asBoolean() ? ", more left out (LIMIT or a"
                + " narrower WHERE shows them)" : ""));
        return Console.OK;
    }

    int compare(String rest) throws AdminClient.AdminException {
        List<String> words = Console.words(rest);
        if (words.size() != 2) {
            throw new UsageException("compare takes two message ids");
        }
        JsonNode answer = api.get("v1/admin/compare?a=" + AdminPaths.query(words.get(0)) + "&b="
                + AdminPaths.query(words.get(1)));
        JsonNode a = answer.path("a");
        JsonNode b = answer.path("b");
        List<List<String>> rows = new ArrayList<>();
        // from: events (its row) or cachedView (an event-row: false event, which has no storedAt)
        for (String field : List.of("messageId", "from", "routingKey", "eventTime", "storedAt")) {
            rows.add(List.of(field, ConsoleOutput.cell(a.path(field)), ConsoleOutput.cell(b.path(field))));
        }
        rows.add(List.of("attributes", ConsoleOutput.cell(a.path("attributes")), ConsoleOutput.cell(b.path("attributes"))));
        rows.add(List.of("payload", ConsoleOutput.cell(a.path("payload")), ConsoleOutput.cell(b.path("payload"))));
        rows.add(List.of("sql row", ConsoleOutput.cell(a.path("sql").path("row")), ConsoleOutput.cell(b.path("sql").path("row"))));
        rows.add(List.of("kv", ConsoleOutput.cell(a.path("kv").path("fields")), ConsoleOutput.cell(b.path("kv").path("fields"))));
        rows.add(List.of("cache", ConsoleOutput.cell(a.path("cache").path("value")), ConsoleOutput.cell(b.path("cache").path("value"))));
        out.table(List.of("", "A", "B"), rows);
        List<List<String>> differences = new ArrayList<>();
        answer.path("differences").fields().forEachRemaining(kind -> kind.getValue().forEach(difference -> {
            String name = difference.has("column") ? difference.path("column").asText()
                    : difference.has("field") ? difference.path("field").asText() : difference.path("value").asText("value");
            differences.add(List.of(kind.getKey(), name, ConsoleOutput.cell(difference.path("a")),
                    ConsoleOutput.cell(difference.path("b"))));
        }));
        out.line(differences.isEmpty() ? "no differences in payload, SQL, KV or cache" : "differences:");
        if (!differences.isEmpty()) {
            out.table(List.of("WHERE", "NAME", "A", "B"), differences);
        }
        return Console.OK;
    }
}
