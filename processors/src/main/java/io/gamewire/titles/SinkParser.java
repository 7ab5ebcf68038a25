package io.gamewire.titles;

import io.gamewire.titles.model.CacheSink;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.KeyTemplate;
import io.gamewire.titles.model.KvSink;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.SqlSink.SqlColumn;
import io.gamewire.titles.model.SqlType;
import io.gamewire.titles.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a command's payload schema and its sinks ({@code sql:}, {@code kv:}, {@code cache:}). They
 * go together because every payload path and key template a sink reads is checked against the
 * schema; a query's key and cache ({@link QueryParser}) are read and checked the same way.
 */
final class SinkParser {

    static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final String TABLE_RULE = "must be a lower-case table name: [a-z][a-z0-9_]{0,63}";
    private static final Pattern FIELD_TYPE = Pattern.compile("string|integer|number|boolean|object|array");
    private static final String FIELD_TYPE_RULE = "must be one of string, integer, number, boolean, object, array";

    private SinkParser() {
    }

    static PayloadSchema schema(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("required", "fields"), Set.of());
        Map<String, FieldType> types = new LinkedHashMap<>();
        Set<String> redacted = new HashSet<>();
        if (fields.containsKey("fields")) {
            for (Map.Entry<String, YamlNode> field : fields.get("fields").entries().entrySet()) {
                // a field with a bad type is still declared: sinks reading it must not be reported too
                // (the definition is discarded anyway, since the file has a problem)
                YamlNode declaration = field.getValue();
                YamlNode type = declaration;
                if (declaration.isMapping()) {
                    // the long form, {type: string, redact: true}
                    Map<String, YamlNode> spec = declaration.fields(Set.of("type", "redact"), Set.of("type"));
                    type = spec.get("type");
                    if (spec.containsKey("redact") && PullValues.bool(spec.get("redact")).orElse(false)) {
                        redacted.add(field.getKey());
                    }
                }
                types.put(field.getKey(), type == null ? null : type.text(FIELD_TYPE, FIELD_TYPE_RULE)
                        .map(name -> FieldType.valueOf(name.toUpperCase(Locale.ROOT))).orElse(null));
            }
        }
        List<String> required = new ArrayList<>();
        if (fields.containsKey("required")) {
            for (YamlNode item : fields.get("required").items()) {
                item.text().ifPresent(field -> {
                    if (!types.containsKey(field)) {
                        item.problem("required field '" + field + "' is not declared under fields");
                    }
                    required.add(field);
                });
            }
        }
        return new PayloadSchema(List.copyOf(required), types, redacted);
    }

    static SqlSink sql(YamlNode node, PayloadSchema schema) {
        Map<String, YamlNode> fields = node.fields(Set.of("table", "key", "columns"), Set.of("table", "key", "columns"));
        String table = Optional.ofNullable(fields.get("table"))
                .flatMap(n -> n.text(TABLE, TABLE_RULE)).orElse(null);
        Map<String, SqlColumn> columns = new LinkedHashMap<>();
        if (fields.containsKey("columns")) {
            for (Map.Entry<String, YamlNode> entry : fields.get("columns").entries().entrySet()) {
                YamlNode column = entry.getValue();
                if (!TABLE.matcher(entry.getKey()).matches()) {
                    column.problem("column name '" + entry.getKey() + "' must be [a-z][a-z0-9_]{0,63}");
                    continue;
                }
                Map<String, YamlNode> spec = column.fields(Set.of("type", "from"), Set.of("type", "from"));
                Optional<SqlType> type = Optional.ofNullable(spec.get("type")).flatMap(n -> n.text().flatMap(text -> {
                    Optional<SqlType> parsed = SqlType.parse(text);
                    if (parsed.isEmpty()) {
                        n.problem("'" + text + "' is not a column type: varchar(1.." + SqlType.MAX_VARCHAR
                                + "), text, int, bigint, double or boolean");
                    }
                    return parsed;
                }));
                Optional<JsonPath> from = Optional.ofNullable(spec.get("from")).flatMap(n -> path(n, schema));
                if (type.isPresent() && from.isPresent()) {
                    columns.put(entry.getKey(), new SqlColumn(entry.getKey(), type.get(), from.get()));
                }
            }
        }
        List<String> key = new ArrayList<>();
        if (fields.containsKey("key")) {
            for (YamlNode item : fields.get("key").items()) {
                item.text().ifPresent(column -> {
                    if (fields.containsKey("columns") && !columns.containsKey(column)) {
                        item.problem("upsert key column '" + column + "' is not one of the columns");
                    } else if (columns.containsKey(column) && columns.get(column).type().base() == SqlType.Base.TEXT) {
                        item.problem("upsert key column '" + column + "' is text; key columns must be varchar(n) or numbers");
                    }
                    key.add(column);
                });
            }
            if (key.isEmpty() && !fields.get("key").isScalar()) {
                fields.get("key").problem("the upsert key needs at least one column");
            }
        }
        return new SqlSink(table, List.copyOf(key), columns);
    }

    static KvSink kv(YamlNode node, PayloadSchema schema) {
        Map<String, YamlNode> fields = node.fields(Set.of("key", "fields"), Set.of("key", "fields"));
        KeyTemplate key = Optional.ofNullable(fields.get("key")).flatMap(n -> template(n, schema)).orElse(null);
        Map<String, JsonPath> values = new LinkedHashMap<>();
        if (fields.containsKey("fields")) {
            for (Map.Entry<String, YamlNode> entry : fields.get("fields").entries().entrySet()) {
                path(entry.getValue(), schema).ifPresent(path -> values.put(entry.getKey(), path));
            }
            if (values.isEmpty() && fields.get("fields").isMapping()) {
                fields.get("fields").problem("a KV sink keeps at least one field");
            }
        }
        return new KvSink(key, values);
    }

    static CacheSink cache(YamlNode node, PayloadSchema schema) {
        Map<String, YamlNode> fields = node.fields(Set.of("key", "ttl"), Set.of("key", "ttl"));
        KeyTemplate key = Optional.ofNullable(fields.get("key")).flatMap(n -> template(n, schema)).orElse(null);
        Duration ttl = Optional.ofNullable(fields.get("ttl")).flatMap(n -> TitleFileParser.duration(n,
                "is not a TTL such as 30s, 10m, 2h or 1d", duration -> duration.compareTo(Duration.ofDays(30)) <= 0,
                text -> "TTL " + text + " is over the 30 days memcached allows")).orElse(null);
        return new CacheSink(key, ttl);
    }

    /** A JSON path whose top field, when the command has a schema, is declared in it. */
    static Optional<JsonPath> path(YamlNode node, PayloadSchema schema) {
        return node.text().flatMap(text -> {
            Optional<JsonPath> path = JsonPath.parse(text).filter(parsed -> !parsed.isRoot());
            if (path.isEmpty()) {
                node.problem("'" + text + "' is not a JSON path such as $.playerId or $.scores[0].value");
            } else {
                checkDeclared(node, path.get(), schema);
            }
            return path;
        });
    }

    static Optional<KeyTemplate> template(YamlNode node, PayloadSchema schema) {
        return node.text().flatMap(text -> {
            KeyTemplate.Result result = KeyTemplate.parse(text);
            if (result.template() == null) {
                node.problem("key template '" + text + "': " + result.error());
                return Optional.empty();
            }
            result.template().payloadPaths().forEach(path -> checkDeclared(node, path, schema));
            return Optional.of(result.template());
        });
    }

    private static void checkDeclared(YamlNode node, JsonPath path, PayloadSchema schema) {
        String top = path.topField();
        if (schema != null && top != null && !schema.fields().containsKey(top)) {
            node.problem("payload field '" + top + "' (" + path + ") is not declared in the command's schema");
        }
    }
}
