package io.gamewire.titles;

import io.gamewire.config.DurationText;
import io.gamewire.titles.model.ApiKeyDefinition;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.titles.model.CacheSink;
import io.gamewire.titles.model.CapacitySettings;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.KvSink;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PayloadSchema;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.SqlSink;
import io.gamewire.titles.model.TitleDefinition;
import io.gamewire.titles.yaml.Problem;
import io.gamewire.titles.yaml.YamlDocument;
import io.gamewire.titles.yaml.YamlNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads one title file into a {@link TitleDefinition}, or into the list of everything wrong with it:
 * each problem with file, line, column and field path. Unknown fields are refused, and the checks
 * that span fields of the one file are made here (a key allowed an environment the title does not
 * have, an upsert key that is not a column, a sink reading a field the schema does not declare, a
 * query reading a table no sink of the file declares, a pull emitting to a command the title does
 * not have). The commands' schemas and sinks are read by {@link SinkParser}, their queries by
 * {@link QueryParser}, the {@code pulls:} section by {@link PullParser}, the {@code capacity:} block
 * by {@link CapacityParser}.
 */
public final class TitleFileParser {

    /** A route template's id, as a title file may name one for a service's consumer. */
    private static final Pattern TEMPLATE_ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ENV_VAR = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    private static final Set<DurationText.Unit> DURATION_UNITS = Set.of(DurationText.Unit.SECONDS,
            DurationText.Unit.MINUTES, DurationText.Unit.HOURS, DurationText.Unit.DAYS);
    private static final long MAX_DURATION_AMOUNT = 999_999;
    private static final String NAME_RULE = "must be 1 to 32 characters of [a-z0-9_-]";

    /** The outcome: a definition when there are no problems. */
    public record Result(Path file, TitleDefinition definition, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result parse(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(read(file))).toString();
        } catch (IOException e) {
            return new Result(file, null, List.of(unreadable(file, e)));
        }
        return parse(file, text);
    }

    /**
     * A title file's bytes. A file too large to be within {@link YamlDocument#MAX_CODE_POINTS} even
     * if every character took the most bytes UTF-8 gives one (4) is not read at all: reading it
     * would only spend memory, and one big enough would fail the whole reload for lack of it.
     */
    static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > 4L * YamlDocument.MAX_CODE_POINTS) {
            throw new TooLargeException("the file is " + size + " bytes, more than " + YamlDocument.MAX_CODE_POINTS
                    + " characters (code points) can take, the most a title file may hold; it was not read");
        }
        return Files.readAllBytes(file);
    }

    /** A file {@link #read} does not read, its message saying why. */
    private static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** The problem of a file that cannot be read, saying why in words rather than an exception's. */
    static Problem unreadable(Path file, IOException e) {
        String why;
        if (e instanceof TooLargeException) {
            why = e.getMessage();
        } else if (e instanceof CharacterCodingException) {
            why = "the file is not UTF-8 text; save it as UTF-8";
        } else if (Files.isDirectory(file)) {
            why = "cannot read the file: it is a directory, not a file";
        } else if (e instanceof NoSuchFileException && Files.isSymbolicLink(file)) {
            why = "cannot read the file: it is a symbolic link to " + linkTarget(file) + ", which does not exist";
        } else if (e instanceof NoSuchFileException) {
            why = "cannot read the file: it does not exist (any more)";
        } else if (e instanceof AccessDeniedException) {
            why = "cannot read the file: permission denied to the user gamewire runs as ("
                    + System.getProperty("user.name") + ")";
        } else {
            why = "cannot read the file: " + e;
        }
        return new Problem(file, 1, 1, "", why);
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "a path that cannot be read";
        }
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
                        "pulls", "capacity"), Set.of("title", "environments", "services"));
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
        QueryParser queries = new QueryParser();
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
        queries.readDeferred(services);
        // read after the services: a pull emits to one of this title's commands
        Map<String, PullDefinition> pulls = fields.containsKey("pulls")
                ? new PullParser(title, environments, services).pulls(fields.get("pulls")) : Map.of();
        CapacitySettings capacity = fields.containsKey("capacity")
                ? CapacityParser.capacity(fields.get("capacity")) : CapacitySettings.DEFAULTS;
        return new TitleDefinition(file, title, description, environments, List.copyOf(keys), services, pulls,
                capacity);
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
        node.keyProblem(what + " name '" + name + "' " + NAME_RULE);
        return false;
    }

    private ApiKeyDefinition apiKey(YamlNode node, List<String> titleEnvironments) {
        Map<String, YamlNode> fields = node.fields(
                Set.of("name", "sha256", "from-env", "environments", "access", "rate-limit"),
                Set.of("name", "environments"));
        String name = Optional.ofNullable(fields.get("name")).flatMap(n -> n.text(NAME, NAME_RULE)).orElse(null);
        String sha256 = Optional.ofNullable(fields.get("sha256"))
                .flatMap(n -> n.secretText(SHA256, "must be the key's SHA-256 as 64 lower-case hex digits")).orElse(null);
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

    private ServiceDefinition service(String name, YamlNode node, QueryParser queries) {
        Map<String, YamlNode> fields = node.fields(Set.of("description", "consumers", "prefetch", "max-attempts", "commands"),
                Set.of("commands"));
        int min = 1;
        int max = 4;
        String template = ServiceDefinition.DEFAULT_CONSUMER_TEMPLATE;
        if (fields.containsKey("consumers")) {
            Map<String, YamlNode> consumers = fields.get("consumers").fields(Set.of("min", "max", "template"), Set.of());
            template = Optional.ofNullable(consumers.get("template"))
                    .flatMap(n -> n.text(TEMPLATE_ID, "must be a route template id: [a-z][a-z0-9-]{0,63}"))
                    .filter(id -> {
                        if (ServiceDefinition.NOT_CONSUMER_TEMPLATES.contains(id)) {
                            consumers.get("template").problem("'" + id + "' is gamewire's template of scheduled"
                                    + " pulls, not a consumer template");
                            return false;
                        }
                        return true;
                    })
                    .orElse(template);
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
        return new ServiceDefinition(name, min, max, template, prefetch, maxAttempts, commands);
    }

    private CommandDefinition command(String name, YamlNode node, Map<String, CommandDefinition> commands,
                                      QueryParser queries) {
        if (node.isScalar() && node.text().orElse("").isEmpty()) {
            return new CommandDefinition(name, "", null, null, null, null, null, true);
        }
        Map<String, YamlNode> fields = node.fields(Set.of("description", "schema", "sql", "kv", "cache", "query",
                "event-row"), Set.of());
        String description = Optional.ofNullable(fields.get("description")).flatMap(YamlNode::text).orElse("");
        PayloadSchema schema = fields.containsKey("schema") ? SinkParser.schema(fields.get("schema")) : null;
        SqlSink sql = fields.containsKey("sql") ? SinkParser.sql(fields.get("sql"), schema) : null;
        KvSink kv = fields.containsKey("kv") ? SinkParser.kv(fields.get("kv"), schema) : null;
        CacheSink cache = fields.containsKey("cache") ? SinkParser.cache(fields.get("cache"), schema) : null;
        if (fields.containsKey("query")) {
            queries.defer(commands, name, fields.get("query"));
        }
        boolean eventRow = true;
        if (fields.containsKey("event-row")) {
            eventRow = PullValues.bool(fields.get("event-row")).orElse(true);
            if (!eventRow && sql == null && kv == null) {
                // its events would be acknowledged and then kept nowhere (a cache entry expires)
                fields.get("event-row").problem("false needs a sink that keeps the event (sql or kv; a cache"
                        + " entry expires): without its events row, an event of this command would be stored nowhere");
            }
        }
        return new CommandDefinition(name, description, schema, sql, kv, cache, null, eventRow);
    }

    /**
     * A duration as title files write it ({@link DurationText}): {@code 30s}, {@code 10m}, {@code 2h},
     * {@code 1d}, 1 to 999,999 of the unit; empty when the text is not one.
     */
    static Optional<Duration> duration(String text) {
        return DurationText.parse(text, DURATION_UNITS)
                .filter(length -> length.amount() >= 1 && length.amount() <= MAX_DURATION_AMOUNT)
                .map(DurationText::duration);
    }

    /**
     * A duration field ({@link #duration(String)}): its value, or empty with a problem at the node,
     * {@code '<text>' <rule>} when it is not a duration.
     */
    static Optional<Duration> duration(YamlNode node, String rule) {
        return duration(node, rule, duration -> true, null);
    }

    /**
     * A duration field that {@code allowed} must accept: else a problem at the node,
     * {@code refusal} of the field's text.
     */
    static Optional<Duration> duration(YamlNode node, String rule, Predicate<Duration> allowed,
            UnaryOperator<String> refusal) {
        return node.text().flatMap(text -> {
            Optional<Duration> duration = duration(text);
            if (duration.isEmpty()) {
                node.problem("'" + text + "' " + rule);
            } else if (!allowed.test(duration.get())) {
                node.problem(refusal.apply(text));
                return Optional.empty();
            }
            return duration;
        });
    }
}
