package io.gamewire.titles;

import io.gamewire.titles.model.ApiKeyDefinition;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.CacheSink;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.KeyTemplate;
import io.gamewire.titles.model.KvSink;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.QuerySpec;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.PayloadSchema.FieldType;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.SqlSink.SqlColumn;
import io.gamewire.titles.model.SqlType;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import io.gamewire.titles.yaml.YamlDocument;
import io.gamewire.titles.yaml.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one title file into a {@link TitleDefinition}, or into the list of everything wrong with it:
 * each problem with file, line, column and field path. Unknown fields are refused, and the checks
 * that span fields of the one file are made here (a key allowed an environment the title does not
 * have, an upsert key that is not a column, a sink reading a field the schema does not declare, a
 * query reading a table no sink of the file declares, a pull emitting to a command the title does
 * not have). The {@code pulls:} section is read by {@link PullParser}.
 */
public final class TitleFileParser {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ENV_VAR = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(s|m|h|d)");
    private static final String NAME_RULE = "must be 1 to 32 characters of [a-z0-9_-]";
    private static final String TABLE_RULE = "must be a lower-case table name: [a-z][a-z0-9_]{0,63}";

    /** The outcome: a definition when there are no problems. */
    public record Result(Path file, TitleDefinition definition, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Result(file, null, List.of(new Problem(file, 1, 1, "", "cannot read the file: " + e.getMessage())));
        }
        return parse(file, text);
    }

    public Result parse(Path file, String text) {
        YamlDocument document = YamlDocument.parse(file, text);
        TitleDefinition definition = document.root().map(root -> title(file, root)).orElse(null);
        List<Problem> problems = document.problems().stream()
                .sorted(java.util.Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column))
                .toList();
        return new Result(file, problems.isEmpty() ? definition : null, problems);
    }

    private TitleDefinition title(Path file, YamlNode root) {
        Map<String, YamlNode> fields = root.fields(Set.of("title", "description", "environments", "keys", "services",
                        "pulls"), Set.of("title", "environments", "services"));
        String title = Optional.ofNullable(fields.get("title")).flatMap(n -> n.text(NAME, NAME_RULE)).orElse(null);
        String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (title != null && !title.equals(expected)) {
            fields.get("title").problem("title '" + title + "' must match the file name (" + expected + ".yaml)");
        }
        String description = Optional.ofNullable(fields.get("description")).flatMap(YamlNode::text).orElse("");
        List<String> environments = Optional.ofNullable(fields.get("environments"))
                .map(node -> names(node, "environment")).orElse(List.of());
        if (fields.containsKey("environments") && environments.isEmpty()) {
            fields.get("environments").problem("a title needs at least one environment");
        }
        List<ApiKeyDefinition> keys = new ArrayList<>();
        if (fields.containsKey("keys")) {
            Set<String> keyNames = new LinkedHashSet<>();
            for (YamlNode item : fields.get("keys").items()) {
                ApiKeyDefinition key = apiKey(item, environments);
                if (key != null && !keyNames.add(key.name())) {
                    item.problem("key name '" + key.name() + "' is used twice");
                }
                if (key != null) {
                    keys.add(key);
                }
            }
        }
        Map<String, ServiceDefinition> services = new LinkedHashMap<>();
        List<PendingQuery> queries = new ArrayList<>();
        if (fields.containsKey("services")) {
            for (Map.Entry<String, YamlNode> entry : fields.get("services").entries().entrySet()) {
                if (checkName(entry.getValue(), entry.getKey(), "service")) {
                    services.put(entry.getKey(), service(entry.getKey(), entry.getValue(), queries));
                }
            }
            if (services.isEmpty() && fields.get("services").isMapping()) {
                fields.get("services").problem("a title needs at least one service");
            }
        }
        readQueries(queries, services);
        // read after the services: a pull emits to one of this title's commands
        Map<String, PullDefinition> pulls = fields.containsKey("pulls")
                ? new PullParser(title, environments, services).pulls(fields.get("pulls")) : Map.of();
        return new TitleDefinition(file, title, description, environments, List.copyOf(keys), services, pulls);
    }

    private static List<String> names(YamlNode node, String what) {
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode item : node.items()) {
            item.text(NAME, NAME_RULE).ifPresent(name -> {
                if (!names.add(name)) {
                    item.problem(what + " '" + name + "' is listed twice");
                }
            });
        }
        return List.copyOf(names);
    }

    private static boolean checkName(YamlNode node, String name, String what) {
        if (NAME.matcher(name).matches()) {
            return true;
        }
        node.problem(what + " name '" + name + "' " + NAME_RULE);
        return false;
    }

    private ApiKeyDefinition apiKey(YamlNode node, List<String> titleEnvironments) {
        Map<String, YamlNode> fields = node.fields(
                Set.of("name", "sha256", "from-env", "environments", "access", "rate-limit"),
                Set.of("name", "environments"));
        String name = Optional.ofNullable(fields.get("name")).flatMap(n -> n.text(NAME, NAME_RULE)).orElse(null);
        String sha256 = Optional.ofNullable(fields.get("sha256"))
                .flatMap(n -> n.text(SHA256, "must be the key's SHA-256 as 64 lower-case hex digits")).orElse(null);
        String fromEnv = Optional.ofNullable(fields.get("from-env"))
                .flatMap(n -> n.text(ENV_VAR, "must be an environment variable name such as HALO_SERVER_KEY")).orElse(null);
        if (fields.containsKey("sha256") == fields.containsKey("from-env") && node.isMapping()) {
            node.problem("a key needs exactly one of 'sha256' (hash of the key) or 'from-env' (variable holding it)");
        }
        Set<String> environments = new LinkedHashSet<>();
        if (fields.containsKey("environments")) {
            for (YamlNode item : fields.get("environments").items()) {
                item.text(NAME, NAME_RULE).ifPresent(env -> {
                    if (!titleEnvironments.contains(env)) {
                        item.problem("environment '" + env + "' is not one of the title's environments "
                                + titleEnvironments);
                    }
                    environments.add(env);
                });
            }
        }
        Set<Access> access = EnumSet.noneOf(Access.class);
        if (fields.containsKey("access")) {
            for (YamlNode item : fields.get("access").items()) {
                item.text(Pattern.compile("publish|query"), "must be publish or query")
                        .ifPresent(value -> access.add(Access.valueOf(value.toUpperCase(Locale.ROOT))));
            }
        } else {
            access.addAll(EnumSet.allOf(Access.class));
        }
        int rateLimit = Optional.ofNullable(fields.get("rate-limit")).flatMap(n -> n.integer(1, 1_000_000)).orElse(0);
        return name == null ? null : new ApiKeyDefinition(name, sha256, fromEnv, Set.copyOf(environments),
                Set.copyOf(access), rateLimit);
    }

    private ServiceDefinition service(String name, YamlNode node, List<PendingQuery> queries) {
        Map<String, YamlNode> fields = node.fields(Set.of("description", "consumers", "prefetch", "max-attempts", "commands"),
                Set.of("commands"));
        int min = 1;
        int max = 4;
        if (fields.containsKey("consumers")) {
            Map<String, YamlNode> consumers = fields.get("consumers").fields(Set.of("min", "max"), Set.of());
            min = Optional.ofNullable(consumers.get("min")).flatMap(n -> n.integer(1, 256)).orElse(min);
            max = Optional.ofNullable(consumers.get("max")).flatMap(n -> n.integer(1, 256)).orElse(Math.max(max, min));
            if (max < min) {
                fields.get("consumers").problem("max (" + max + ") is below min (" + min + ")");
            }
        }
        int prefetch = Optional.ofNullable(fields.get("prefetch")).flatMap(n -> n.integer(1, 10_000)).orElse(50);
        int maxAttempts = Optional.ofNullable(fields.get("max-attempts")).flatMap(n -> n.integer(1, 100)).orElse(5);
        Map<String, CommandDefinition> commands = new LinkedHashMap<>();
        if (fields.containsKey("commands")) {
            for (Map.Entry<String, YamlNode> entry : fields.get("commands").entries().entrySet()) {
                if (checkName(entry.getValue(), entry.getKey(), "command")) {
                    commands.put(entry.getKey(), command(entry.getKey(), entry.getValue(), commands, queries));
                }
            }
            if (commands.isEmpty() && fields.get("commands").isMapping()) {
                fields.get("commands").problem("a service needs at least one command");
            }
        }
        return new ServiceDefinition(name, min, max, prefetch, maxAttempts, commands);
    }

    /**
     * A command's {@code query:}, read only once the whole file is: its {@code sql} source names a
     * table that a command further down may declare. {@code commands} is the service's map being
     * built, where the command is replaced by one with its query.
     */
    private record PendingQuery(Map<String, CommandDefinition> commands, String command, YamlNode node) {
    }

    private CommandDefinition command(String name, YamlNode node, Map<String, CommandDefinition> commands,
                                      List<PendingQuery> queries) {
        if (node.isScalar() && node.text().orElse("").isEmpty()) {
            return new CommandDefinition(name, "", null, null, null, null, null);
        }
        Map<String, YamlNode> fields = node.fields(Set.of("description", "schema", "sql", "kv", "cache", "query"),
                Set.of());
        String description = Optional.ofNullable(fields.get("description")).flatMap(YamlNode::text).orElse("");
        PayloadSchema schema = fields.containsKey("schema") ? schema(fields.get("schema")) : null;
        SqlSink sql = fields.containsKey("sql") ? sql(fields.get("sql"), schema) : null;
        KvSink kv = fields.containsKey("kv") ? kv(fields.get("kv"), schema) : null;
        CacheSink cache = fields.containsKey("cache") ? cache(fields.get("cache"), schema) : null;
        if (fields.containsKey("query")) {
            queries.add(new PendingQuery(commands, name, fields.get("query")));
        }
        return new CommandDefinition(name, description, schema, sql, kv, cache, null);
    }

    /** Reads the pending queries against every table the file declares, and sets them on their commands. */
    private static void readQueries(List<PendingQuery> queries, Map<String, ServiceDefinition> services) {
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
                    command.schema(), command.sql(), command.kv(), command.cache(), query));
        }
    }

    /** {@code query: {cache?, kv?, sql?}}: answered from cache, then KV, then SQL. */
    private static QuerySpec query(YamlNode node, PayloadSchema schema, Map<String, SqlSink> tables) {
        Map<String, YamlNode> fields = node.fields(Set.of("cache", "kv", "sql"), Set.of());
        if (node.isMapping() && !fields.containsKey("kv") && !fields.containsKey("sql")) {
            node.keyProblem("a query needs a source: kv (a KV record), sql (a table row) or both;"
                    + " the cache only keeps copies of their answers");
        }
        CacheSink cache = fields.containsKey("cache") ? cache(fields.get("cache"), schema) : null;
        if (cache != null && cache.key() != null && cache.key().parts().contains(KeyTemplate.Placeholder.MESSAGEID)) {
            // a request's message id is new every time: such an entry would never be read again
            fields.get("cache").problem("a query's cache key cannot use {messageId}: every request has its own,"
                    + " so no answer would ever be found in the cache");
        }
        KeyTemplate kv = Optional.ofNullable(fields.get("kv")).flatMap(n -> template(n, schema)).orElse(null);
        QuerySpec.SqlSource sql = fields.containsKey("sql") ? sqlSource(fields.get("sql"), schema, tables) : null;
        return new QuerySpec(cache, kv, sql);
    }

    /**
     * {@code sql: {table, key: {column: path}}}: a table a {@code sql:} sink of this file declares,
     * and a payload path for each of its key columns, no more and no fewer (one row, by primary key).
     */
    private static QuerySpec.SqlSource sqlSource(YamlNode node, PayloadSchema schema, Map<String, SqlSink> tables) {
        Map<String, YamlNode> fields = node.fields(Set.of("table", "key"), Set.of("table", "key"));
        SqlSink table = Optional.ofNullable(fields.get("table")).flatMap(n -> n.text(TABLE, TABLE_RULE).flatMap(name -> {
            if (!tables.containsKey(name)) {
                n.problem("table '" + name + "' is not declared by a sql: sink of this title file"
                        + (tables.isEmpty() ? ", which declares none" : " (tables: " + String.join(", ", tables.keySet()) + ")"));
            }
            return Optional.ofNullable(tables.get(name));
        })).orElse(null);
        Map<String, JsonPath> paths = new HashMap<>();
        YamlNode keyNode = fields.get("key");
        if (keyNode != null) {
            Map<String, YamlNode> columns = keyNode.entries();
            for (Map.Entry<String, YamlNode> column : columns.entrySet()) {
                if (table != null && !table.key().contains(column.getKey())) {
                    column.getValue().keyProblem("column '" + column.getKey() + "' is not a key column of table '"
                            + table.table() + "' (key: " + String.join(", ", table.key()) + ")");
                }
                path(column.getValue(), schema).ifPresent(path -> paths.put(column.getKey(), path));
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

    private static PayloadSchema schema(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("required", "fields"), Set.of());
        Map<String, FieldType> types = new LinkedHashMap<>();
        if (fields.containsKey("fields")) {
            for (Map.Entry<String, YamlNode> field : fields.get("fields").entries().entrySet()) {
                // a field with a bad type is still declared: sinks reading it must not be reported too
                // (the definition is discarded anyway, since the file has a problem)
                types.put(field.getKey(), field.getValue().text(Pattern.compile("string|integer|number|boolean|object|array"),
                                "must be one of string, integer, number, boolean, object, array")
                        .map(type -> FieldType.valueOf(type.toUpperCase(Locale.ROOT))).orElse(null));
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
        return new PayloadSchema(List.copyOf(required), types);
    }

    private static SqlSink sql(YamlNode node, PayloadSchema schema) {
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

    private static KvSink kv(YamlNode node, PayloadSchema schema) {
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

    private static CacheSink cache(YamlNode node, PayloadSchema schema) {
        Map<String, YamlNode> fields = node.fields(Set.of("key", "ttl"), Set.of("key", "ttl"));
        KeyTemplate key = Optional.ofNullable(fields.get("key")).flatMap(n -> template(n, schema)).orElse(null);
        Duration ttl = Optional.ofNullable(fields.get("ttl")).flatMap(n -> n.text().flatMap(text -> {
            Optional<Duration> duration = duration(text);
            if (duration.isEmpty()) {
                n.problem("'" + text + "' is not a TTL such as 30s, 10m, 2h or 1d");
                return Optional.empty();
            }
            if (duration.get().compareTo(Duration.ofDays(30)) > 0) {
                n.problem("TTL " + text + " is over the 30 days memcached allows");
                return Optional.empty();
            }
            return duration;
        })).orElse(null);
        return new CacheSink(key, ttl);
    }

    /**
     * A duration as title files write it: {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, 1 to
     * 999,999 of the unit; empty when the text is not one.
     */
    static Optional<Duration> duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }

    /** A JSON path whose top field, when the command has a schema, is declared in it. */
    private static Optional<JsonPath> path(YamlNode node, PayloadSchema schema) {
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

    private static Optional<KeyTemplate> template(YamlNode node, PayloadSchema schema) {
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
