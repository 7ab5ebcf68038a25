package io.gamewire.titles;

import io.gamewire.titles.model.CacheSink;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.KeyTemplate;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.QuerySpec;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the commands' {@code query:} sections of one title file, once the whole file is read: a
 * query's {@code sql} source names a table that a command further down may declare. So the
 * commands hand their queries over as they are read ({@link #defer}), and {@link #readDeferred}
 * reads them all at the end.
 */
final class QueryParser {

    /**
     * A command's {@code query:}, not read yet. {@code commands} is the service's map being built,
     * where the command is replaced by one with its query.
     */
    private record PendingQuery(Map<String, CommandDefinition> commands, String command, YamlNode node) {
    }

    private final List<PendingQuery> queries = new ArrayList<>();

    /** Keeps the query {@code node} of {@code command}, one of the service's {@code commands}. */
    void defer(Map<String, CommandDefinition> commands, String command, YamlNode node) {
        queries.add(new PendingQuery(commands, command, node));
    }

    /** Reads the pending queries against every table the file declares, and sets them on their commands. */
    void readDeferred(Map<String, ServiceDefinition> services) {
        Map<String, SqlSink> tables = new LinkedHashMap<>();
        services.values().stream().flatMap(service -> service.commands().values().stream())
                .map(CommandDefinition::sql)
                .filter(sink -> sink != null && sink.table() != null)
                // two declarations of one table must agree (CrossTitleChecks), so the first stands for both
                .forEach(sink -> tables.putIfAbsent(sink.table(), sink));
        for (PendingQuery pending : queries) {
            CommandDefinition command = pending.commands().get(pending.command());
            QuerySpec query = query(pending.node(), command.schema(), tables);
            pending.commands().put(command.name(), new CommandDefinition(command.name(), command.description(),
                    command.schema(), command.sql(), command.kv(), command.cache(), query, command.eventRow()));
        }
    }

    /** {@code query: {cache?, kv?, sql?}}: answered from cache, then KV, then SQL. */
    private static QuerySpec query(YamlNode node, PayloadSchema schema, Map<String, SqlSink> tables) {
        Map<String, YamlNode> fields = node.fields(Set.of("cache", "kv", "sql"), Set.of());
        if (node.isMapping() && !fields.containsKey("kv") && !fields.containsKey("sql")) {
            node.keyProblem("a query needs a source: kv (a KV record), sql (a table row) or both;"
                    + " the cache only keeps copies of their answers");
        }
        CacheSink cache = fields.containsKey("cache") ? SinkParser.cache(fields.get("cache"), schema) : null;
        if (cache != null && cache.key() != null && cache.key().parts().contains(KeyTemplate.Placeholder.MESSAGEID)) {
            // a request's message id is new every time: such an entry would never be read again
            fields.get("cache").problem("a query's cache key cannot use {messageId}: every request has its own,"
                    + " so no answer would ever be found in the cache");
        }
        KeyTemplate kv = Optional.ofNullable(fields.get("kv")).flatMap(n -> SinkParser.template(n, schema))
                .orElse(null);
        QuerySpec.SqlSource sql = fields.containsKey("sql") ? sqlSource(fields.get("sql"), schema, tables) : null;
        return new QuerySpec(cache, kv, sql);
    }

    /**
     * {@code sql: {table, key: {column: path}}}: a table a {@code sql:} sink of this file declares,
     * and a payload path for each of its key columns, no more and no fewer (one row, by primary key).
     */
    private static QuerySpec.SqlSource sqlSource(YamlNode node, PayloadSchema schema, Map<String, SqlSink> tables) {
        Map<String, YamlNode> fields = node.fields(Set.of("table", "key"), Set.of("table", "key"));
        SqlSink table = Optional.ofNullable(fields.get("table")).flatMap(n -> declaredTable(n, tables)).orElse(null);
        Map<String, JsonPath> paths = new HashMap<>();
        YamlNode keyNode = fields.get("key");
        if (keyNode != null) {
            Map<String, YamlNode> columns = keyNode.entries();
            for (Map.Entry<String, YamlNode> column : columns.entrySet()) {
                if (table != null && !table.key().contains(column.getKey())) {
                    column.getValue().keyProblem("column '" + column.getKey() + "' is not a key column of table '"
                            + table.table() + "' (key: " + String.join(", ", table.key()) + ")");
                }
                SinkParser.path(column.getValue(), schema).ifPresent(path -> paths.put(column.getKey(), path));
            }
            List<String> missing = table == null ? List.of()
                    : table.key().stream().filter(column -> !columns.containsKey(column)).toList();
            if (keyNode.isMapping() && !missing.isEmpty()) {
                keyNode.problem("every key column of table '" + table.table() + "' needs a value, to read one row;"
                        + " missing: " + String.join(", ", missing));
            }
        }
        if (table == null) {
            return null;
        }
        Map<String, JsonPath> key = new LinkedHashMap<>();
        table.key().stream().filter(paths::containsKey).forEach(column -> key.put(column, paths.get(column)));
        return new QuerySpec.SqlSource(table, key);
    }

    /** The sink of this file that declares the table {@code node} names. */
    private static Optional<SqlSink> declaredTable(YamlNode node, Map<String, SqlSink> tables) {
        return node.text(SinkParser.TABLE, SinkParser.TABLE_RULE).flatMap(name -> {
            if (!tables.containsKey(name)) {
                node.problem("table '" + name + "' is not declared by a sql: sink of this title file"
                        + (tables.isEmpty() ? ", which declares none"
                        : " (tables: " + String.join(", ", tables.keySet()) + ")"));
            }
            return Optional.ofNullable(tables.get(name));
        });
    }
}
