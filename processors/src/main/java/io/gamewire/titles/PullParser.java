package io.gamewire.titles;

import io.gamewire.titles.model.EnvPlaceholders;
import io.gamewire.protocol.InvalidRoutingKeyException;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import io.gamewire.titles.model.PullDefinition.Body;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Emit;
import io.gamewire.titles.model.PullDefinition.Limits;
import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import io.gamewire.titles.model.PullDefinition.Request;
import io.gamewire.titles.model.PullDefinition.Schedule;
import io.gamewire.titles.model.PullDefinition.Watermark;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * Reads a title file's {@code pulls:} section (name → pull) into {@link PullDefinition}s, reporting
 * problems as the rest of {@link TitleFileParser} does: at the node, with its field path, all of
 * them in one pass. The fields, their defaults and the checks are in {@code docs/titles.md},
 * "Pulls".
 */
final class PullParser {

    static final Pattern PULL_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern PLACEHOLDER = EnvPlaceholders.PLACEHOLDER;
    private static final Pattern BRACED = Pattern.compile("\\{[^{}]*}");
    /** What is meant as a placeholder in a header value, closed or not. */
    private static final Pattern ENV_LIKE = Pattern.compile("\\{env:[^}]*}?");
    private static final Pattern ENV_VAR = EnvPlaceholders.NAME;
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    /** A query parameter name: unreserved URL characters, and [ ] as in page[size]. */
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9._~\\[\\]-]{1,64}");
    private static final String PARAM_RULE = "must be a query parameter name: 1 to 64 of A-Z a-z 0-9 . _ ~ - [ ]";
    private static final Pattern EPOCH = Pattern.compile("\\d{1,19}");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_PAGE_SIZE = 100;
    static final Limits DEFAULT_LIMITS = new Limits(50, 100_000, Duration.ofHours(24), 5, Duration.ofSeconds(60), 5,
            Duration.ofMinutes(5));
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
    PullParser(String title, List<String> environments, Map<String, ServiceDefinition> services) {
        this.title = title;
        this.environments = environments;
        this.services = services;
    }

    /** The pulls of {@code node} ({@code pulls:}), by name in file order. */
    Map<String, PullDefinition> pulls(YamlNode node) {
        Map<String, PullDefinition> pulls = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> entry : node.entries().entrySet()) {
            if (!PULL_NAME.matcher(entry.getKey()).matches()) {
                entry.getValue().keyProblem("pull name '" + entry.getKey() + "' must be [a-z][a-z0-9-]{0,63}:"
                        + " a lower-case letter, then lower-case letters, digits and '-'");
                continue;
            }
            pulls.put(entry.getKey(), pull(entry.getKey(), entry.getValue()));
        }
        return pulls;
    }

    /** A query parameter the pull sends, with the node that names it: no two may share a name. */
    private record Sent(String name, YamlNode node) {
    }

    private PullDefinition pull(String name, YamlNode node) {
        Map<String, YamlNode> fields = node.fields(
                Set.of("description", "schedule", "request", "paging", "body", "watermark", "emit", "limits"),
                Set.of("schedule", "request", "emit"));
        List<Sent> sent = new ArrayList<>();
        String description = Optional.ofNullable(fields.get("description")).flatMap(YamlNode::text).orElse("");
        Schedule schedule = fields.containsKey("schedule") ? schedule(fields.get("schedule")) : null;
        Request request = fields.containsKey("request") ? request(fields.get("request"), sent) : null;
        Body body = fields.containsKey("body") ? body(fields.get("body")) : new Body(BodyFormat.JSON_ARRAY, null);
        Paging paging = fields.containsKey("paging") ? paging(fields.get("paging"), body, sent) : Paging.NONE;
        Watermark watermark = fields.containsKey("watermark") ? watermark(fields.get("watermark"), sent) : null;
        Emit emit = fields.containsKey("emit") ? emit(fields.get("emit")) : null;
        Limits limits = fields.containsKey("limits") ? limits(fields.get("limits")) : DEFAULT_LIMITS;
        Map<String, YamlNode> names = new LinkedHashMap<>();
        for (Sent parameter : sent) {
            YamlNode first = names.putIfAbsent(parameter.name(), parameter.node());
            if (first != null) {
                parameter.node().problem("query parameter '" + parameter.name() + "' is already sent as "
                        + first.path().substring(first.path().indexOf('.', "pulls.".length()) + 1)
                        + "; each parameter the pull sends needs its own name");
            }
        }
        return new PullDefinition(name, description, schedule, request, paging, body, watermark, emit, limits);
    }

    /** {@code {cron: "<Quartz cron>"}} or {@code {every: 5m}}. */
    private static Schedule schedule(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("cron", "every"), Set.of());
        if (node.isMapping() && fields.containsKey("cron") == fields.containsKey("every")) {
            node.problem("a schedule needs exactly one of 'cron' (a Quartz cron expression such as \"0 */5 * * * ?\")"
                    + " or 'every' (an interval such as 5m)");
        }
        String cron = Optional.ofNullable(fields.get("cron")).flatMap(n -> n.text().filter(text -> {
            try {
                new CronExpression(text);
                return true;
            } catch (ParseException | RuntimeException e) {
                n.problem("'" + text + "' is not a Quartz cron expression (seconds minutes hours day-of-month month"
                        + " day-of-week [year], e.g. \"0 */5 * * * ?\"): " + e.getMessage());
                return false;
            }
        })).orElse(null);
        Duration every = Optional.ofNullable(fields.get("every")).flatMap(n -> duration(n, "1s", "30d")).orElse(null);
        return new Schedule(cron, every);
    }

    private static Request request(YamlNode node, List<Sent> sent) {
        Map<String, YamlNode> fields = node.fields(Set.of("url", "headers", "auth", "timeout", "conditional"),
                Set.of("url"));
        String url = Optional.ofNullable(fields.get("url")).flatMap(PullParser::url).orElse(null);
        Map<String, String> headers = new LinkedHashMap<>();
        if (fields.containsKey("headers")) {
            for (Map.Entry<String, YamlNode> entry : fields.get("headers").entries().entrySet()) {
                header(entry.getKey(), entry.getValue()).ifPresent(value -> headers.put(entry.getKey(), value));
            }
        }
        Auth auth = fields.containsKey("auth") ? auth(fields.get("auth"), sent) : Auth.NONE;
        Duration timeout = Optional.ofNullable(fields.get("timeout")).flatMap(n -> duration(n, "1s", "10m"))
                .orElse(DEFAULT_TIMEOUT);
        boolean conditional = Optional.ofNullable(fields.get("conditional")).flatMap(PullParser::bool).orElse(true);
        return new Request(url, headers, auth, timeout, conditional);
    }

    /**
     * An http(s) URL, whose scheme and host may come from a placeholder at its start
     * ({@code {env:API_URL}/v1/items}); {@code {env:NAME}} is the only thing allowed in braces.
     */
    private static Optional<String> url(YamlNode node) {
        return node.text().filter(text -> {
            Optional<String> problem = urlProblem(text);
            problem.ifPresent(message -> node.problem("'" + text + "' " + message));
            return problem.isEmpty();
        });
    }

    private static Optional<String> urlProblem(String text) {
        if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return Optional.of("has a space or control character; encode a space as %20");
        }
        Matcher braced = BRACED.matcher(text);
        while (braced.find()) {
            if (!PLACEHOLDER.matcher(braced.group()).matches()) {
                return Optional.of("has '" + braced.group() + "', which is not a placeholder: only {env:NAME}, NAME an"
                        + " environment variable of [A-Z][A-Z0-9_]*, is allowed in braces");
            }
        }
        String placeholdersOut = PLACEHOLDER.matcher(text).replaceAll("x");
        if (placeholdersOut.indexOf('{') >= 0 || placeholdersOut.indexOf('}') >= 0) {
            return Optional.of("has an unmatched '{' or '}'; only {env:NAME} placeholders are allowed in braces");
        }
        Matcher leading = PLACEHOLDER.matcher(text);
        boolean fromEnv = leading.lookingAt();
        String lower = text.toLowerCase(Locale.ROOT);
        if (!fromEnv && !lower.startsWith("https://") && !lower.startsWith("http://")) {
            return Optional.of("is not an http(s) URL: it must start with https://, http:// or an {env:NAME}"
                    + " placeholder holding the start of one");
        }
        // a sample of what it resolves to: a leading placeholder stands for scheme and host
        String sample = fromEnv ? "https://example.invalid" + PLACEHOLDER.matcher(text.substring(leading.end()))
                .replaceAll("x") : placeholdersOut;
        try {
            URI uri = new URI(sample);
            if (uri.getHost() == null && !fromEnv) {
                return Optional.of("has no host");
            }
            if (uri.getFragment() != null) {
                return Optional.of("has a #fragment, which is never sent to the server");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
    }

    /**
     * A header, sent with its {@code {env:NAME}} placeholders resolved when the pull runs; an
     * {@code Authorization} header is made by {@code auth:}, never written here.
     */
    private static Optional<String> header(String name, YamlNode node) {
        if (!HEADER.matcher(name).matches()) {
            node.keyProblem("'" + name + "' is not an HTTP header name");
            return Optional.empty();
        }
        if (name.equalsIgnoreCase("Authorization")) {
            node.keyProblem("a secret never goes in a title file: authenticate with auth: {bearer: VAR} or"
                    + " {header: NAME, env: VAR}, VAR the environment variable holding the secret");
            return Optional.empty();
        }
        return node.text().filter(value -> {
            if (value.chars().anyMatch(c -> c < ' ' && c != '\t' || c == 0x7f)) {
                node.problem("a header value cannot hold a line break or control character");
                return false;
            }
            Matcher placeholder = ENV_LIKE.matcher(value);
            while (placeholder.find()) {
                if (!PLACEHOLDER.matcher(placeholder.group()).matches()) {
                    node.problem("'" + placeholder.group() + "' is not a placeholder: {env:NAME}, NAME an environment"
                            + " variable of [A-Z][A-Z0-9_]*");
                    return false;
                }
            }
            return true;
        });
    }

    /** {@code {bearer: VAR}}, {@code {header: NAME, env: VAR}} or {@code {query: NAME, env: VAR}}. */
    private static Auth auth(YamlNode node, List<Sent> sent) {
        Set<String> allowed = Set.of("bearer", "header", "query", "env");
        Map<String, YamlNode> fields = node.fields(allowed, Set.of());
        List<String> kinds = Stream.of("bearer", "header", "query").filter(fields::containsKey).toList();
        if (node.isMapping() && kinds.size() > 1) {
            node.problem("auth is one of bearer, header or query, not " + String.join(" and ", kinds));
            return null;
        }
        if (kinds.isEmpty()) {
            // an unknown kind ({basic: ...}) is reported by fields() already
            if (node.isMapping() && allowed.containsAll(fields.keySet())) {
                node.problem("auth needs one of {bearer: VAR}, {header: NAME, env: VAR} or {query: NAME, env: VAR},"
                        + " VAR the environment variable holding the secret");
            }
            return null;
        }
        String kind = kinds.get(0);
        YamlNode env = fields.get("env");
        if (kind.equals("bearer")) {
            if (env != null) {
                env.keyProblem("a bearer token names its variable itself ({bearer: VAR}); 'env' is for header and"
                        + " query");
            }
            return variable(fields.get("bearer")).map(var -> new Auth(AuthKind.BEARER, null, var)).orElse(null);
        }
        YamlNode nameNode = fields.get(kind);
        Optional<String> name = kind.equals("header")
                ? nameNode.text(HEADER, "is not an HTTP header name")
                : nameNode.text(PARAM, PARAM_RULE);
        if (kind.equals("query")) {
            name.ifPresent(parameter -> sent.add(new Sent(parameter, nameNode)));
        }
        if (env == null) {
            node.problem(kind + " auth needs 'env': the environment variable holding the secret");
        }
        Optional<String> variable = env == null ? Optional.empty() : variable(env);
        return name.isPresent() && variable.isPresent()
                ? new Auth(kind.equals("header") ? AuthKind.HEADER : AuthKind.QUERY, name.get(), variable.get()) : null;
    }

    /** An environment variable name; a value that is not one is not repeated, as it may be a secret. */
    private static Optional<String> variable(YamlNode node) {
        return node.text().filter(text -> {
            if (ENV_VAR.matcher(text).matches()) {
                return true;
            }
            node.problem("must name the environment variable holding the secret ([A-Z][A-Z0-9_]*, such as"
                    + " KART_API_TOKEN), never the secret itself");
            return false;
        });
    }

    /** The fields each kind of paging takes, beyond {@code type}. */
    private static final Map<PagingKind, List<String>> PAGING_FIELDS = Map.of(
            PagingKind.NONE, List.of(),
            PagingKind.CURSOR, List.of("param", "from"),
            PagingKind.PAGE, List.of("param", "size-param", "size", "first"),
            PagingKind.OFFSET, List.of("param", "size-param", "size"),
            PagingKind.LINK, List.of());

    /** The paging; {@code body} (null when it is wrong) says where a cursor's {@code from} reads. */
    private static Paging paging(YamlNode node, Body body, List<Sent> sent) {
        Map<String, YamlNode> fields = node.fields(Set.of("type", "param", "from", "size-param", "size", "first"),
                Set.of("type"));
        PagingKind kind = Optional.ofNullable(fields.get("type"))
                .flatMap(n -> n.text(Pattern.compile("none|cursor|page|offset|link"),
                        "must be one of none, cursor, page, offset, link"))
                .map(type -> PagingKind.valueOf(type.toUpperCase(Locale.ROOT))).orElse(null);
        if (kind == null) {
            return null;
        }
        String type = kind.name().toLowerCase(Locale.ROOT);
        List<String> takes = PAGING_FIELDS.get(kind);
        for (Map.Entry<String, YamlNode> field : fields.entrySet()) {
            if (!field.getKey().equals("type") && !takes.contains(field.getKey())) {
                field.getValue().keyProblem("'" + field.getKey() + "' has no meaning with " + type + " paging, which "
                        + (takes.isEmpty() ? "takes no other field" : "takes " + String.join(", ", takes)));
            }
        }
        if (kind == PagingKind.NONE || kind == PagingKind.LINK) {
            return kind == PagingKind.NONE ? Paging.NONE : new Paging(PagingKind.LINK, null, null, null, 0, 0);
        }
        String what = switch (kind) {
            case CURSOR -> "cursor";
            case PAGE -> "page number";
            default -> "offset";
        };
        if (!fields.containsKey("param")) {
            node.keyProblem(type + " paging needs 'param': the query parameter the " + what + " is sent as");
        }
        String param = Optional.ofNullable(fields.get("param")).flatMap(n -> parameter(n, sent)).orElse(null);
        if (kind == PagingKind.CURSOR) {
            if (!fields.containsKey("from")) {
                node.keyProblem("cursor paging needs 'from': the JSON path of the next cursor in the response body"
                        + " (absent, null or empty on the last page)");
            }
            // json-items: a path in the body, beside the items; json-array and ndjson: a path in the
            // page's last item (keyset paging, ?after=<id of the last item>)
            boolean inBody = body == null || body.format() == BodyFormat.JSON_ITEMS;
            JsonPath from = Optional.ofNullable(fields.get("from"))
                    .flatMap(n -> path(n, inBody ? "the next cursor in the response body, such as $.next or $.meta.cursor"
                            : "the next cursor in the page's last item, such as $.id", false)).orElse(null);
            return new Paging(PagingKind.CURSOR, param, from, null, 0, 0);
        }
        String sizeParam = Optional.ofNullable(fields.get("size-param")).flatMap(n -> parameter(n, sent)).orElse(null);
        // a page shorter than the size is the last: without size-param the publisher's page size is
        // unknown unless given, and 0 makes only an empty page the last
        int size = Optional.ofNullable(fields.get("size")).flatMap(n -> n.integer(1, 10_000))
                .orElse(fields.containsKey("size-param") ? DEFAULT_PAGE_SIZE : 0);
        int first = kind == PagingKind.OFFSET ? 0
                : Optional.ofNullable(fields.get("first")).flatMap(n -> n.integer(0, 1_000_000)).orElse(1);
        return new Paging(kind, param, null, sizeParam, size, first);
    }

    private static Optional<String> parameter(YamlNode node, List<Sent> sent) {
        Optional<String> name = node.text(PARAM, PARAM_RULE);
        name.ifPresent(parameter -> sent.add(new Sent(parameter, node)));
        return name;
    }

    /** {@code {format: json-array | json-items | ndjson, items: <path>}}. */
    private static Body body(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("format", "items"), Set.of());
        BodyFormat format = Optional.ofNullable(fields.get("format"))
                .flatMap(n -> n.text(Pattern.compile("json-array|json-items|ndjson"),
                        "must be one of json-array, json-items, ndjson"))
                .map(text -> BodyFormat.valueOf(text.replace('-', '_').toUpperCase(Locale.ROOT)))
                .orElse(fields.containsKey("format") ? null : BodyFormat.JSON_ARRAY);
        if (format == null) {
            return null;
        }
        if (format == BodyFormat.JSON_ITEMS && !fields.containsKey("items")) {
            node.keyProblem("body format json-items needs 'items': the JSON path of the array of items in the body,"
                    + " such as $.items");
        }
        if (format != BodyFormat.JSON_ITEMS && fields.containsKey("items")) {
            fields.get("items").keyProblem("'items' has no meaning with body format "
                    + format.name().toLowerCase(Locale.ROOT).replace('_', '-') + (format == BodyFormat.NDJSON
                    ? " (each line is an item)" : " (the body is the array of items)"));
        }
        JsonPath items = format != BodyFormat.JSON_ITEMS ? null : Optional.ofNullable(fields.get("items"))
                .flatMap(n -> path(n, "the array of items in the body, such as $.items or $.data.results", false))
                .orElse(null);
        return new Body(format, items);
    }

    private static Watermark watermark(YamlNode node, List<Sent> sent) {
        Map<String, YamlNode> fields = node.fields(Set.of("param", "from", "type", "initial"),
                Set.of("param", "from", "type"));
        String param = Optional.ofNullable(fields.get("param")).flatMap(n -> parameter(n, sent)).orElse(null);
        JsonPath from = Optional.ofNullable(fields.get("from"))
                .flatMap(n -> path(n, "the item's field holding the value, such as $.updatedAt", false)).orElse(null);
        WatermarkKind kind = Optional.ofNullable(fields.get("type"))
                .flatMap(n -> n.text(Pattern.compile("timestamp|id"), "must be timestamp or id"))
                .map(text -> WatermarkKind.valueOf(text.toUpperCase(Locale.ROOT))).orElse(null);
        String initial = Optional.ofNullable(fields.get("initial")).flatMap(n -> n.text().filter(text -> {
            if (text.isEmpty()) {
                n.problem("the initial value cannot be empty; leave 'initial' out to send no watermark on the first run");
                return false;
            }
            if (kind == WatermarkKind.TIMESTAMP && !isTimestamp(text)) {
                n.problem("'" + text + "' is not a timestamp: ISO-8601 with a zone, such as 2026-01-01T00:00:00Z,"
                        + " or epoch seconds or milliseconds");
                return false;
            }
            return true;
        })).orElse(null);
        return new Watermark(param, from, kind, initial);
    }

    private static boolean isTimestamp(String text) {
        if (EPOCH.matcher(text).matches()) {
            return true;
        }
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private Emit emit(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("routing-key", "payload", "id"), Set.of("routing-key", "id"));
        String routingKey = Optional.ofNullable(fields.get("routing-key")).flatMap(this::routingKey).orElse(null);
        JsonPath payload = Optional.ofNullable(fields.get("payload"))
                .flatMap(n -> path(n, "the payload within the item: $ for the whole item, or such as $.result", true))
                .orElse(fields.containsKey("payload") ? null : WHOLE_ITEM);
        JsonPath id = Optional.ofNullable(fields.get("id"))
                .flatMap(n -> path(n, "the item's id, such as $.id or $.race.id", false)).orElse(null);
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

    private static Limits limits(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("max-pages", "dedupe-size", "dedupe-ttl", "max-attempts",
                "max-backoff", "breaker-failures", "breaker-open-for"), Set.of());
        Limits defaults = DEFAULT_LIMITS;
        return new Limits(
                integer(fields, "max-pages", 1, 100_000, defaults.maxPages()),
                integer(fields, "dedupe-size", 1, 10_000_000, defaults.dedupeSize()),
                duration(fields, "dedupe-ttl", "1m", "30d", defaults.dedupeTtl()),
                integer(fields, "max-attempts", 1, 100, defaults.maxAttempts()),
                duration(fields, "max-backoff", "1s", "1h", defaults.maxBackoff()),
                integer(fields, "breaker-failures", 1, 1_000, defaults.breakerFailures()),
                duration(fields, "breaker-open-for", "1s", "1d", defaults.breakerOpenFor()));
    }

    private static int integer(Map<String, YamlNode> fields, String name, int min, int max, int otherwise) {
        return Optional.ofNullable(fields.get(name)).flatMap(n -> n.integer(min, max)).orElse(otherwise);
    }

    private static Duration duration(Map<String, YamlNode> fields, String name, String min, String max,
                                     Duration otherwise) {
        return Optional.ofNullable(fields.get(name)).flatMap(n -> duration(n, min, max)).orElse(otherwise);
    }

    /** A duration ({@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}) from {@code min} to {@code max}. */
    private static Optional<Duration> duration(YamlNode node, String min, String max) {
        return node.text().flatMap(text -> {
            Optional<Duration> duration = TitleFileParser.duration(text);
            if (duration.isEmpty()) {
                node.problem("'" + text + "' is not a duration such as 30s, 10m, 2h or 1d");
                return Optional.empty();
            }
            if (duration.get().compareTo(TitleFileParser.duration(min).orElseThrow()) < 0
                    || duration.get().compareTo(TitleFileParser.duration(max).orElseThrow()) > 0) {
                node.problem("'" + text + "' must be from " + min + " to " + max);
                return Optional.empty();
            }
            return duration;
        });
    }

    private static Optional<Boolean> bool(YamlNode node) {
        return node.text(Pattern.compile("true|false"), "must be true or false").map(Boolean::valueOf);
    }

    /**
     * A JSON path into an item or a response body (the publisher's shape, so not checked against a
     * schema); {@code $} alone only where {@code root} allows it.
     */
    private static Optional<JsonPath> path(YamlNode node, String example, boolean root) {
        return node.text().flatMap(text -> {
            Optional<JsonPath> path = JsonPath.parse(text);
            if (path.isPresent() && path.get().isRoot() && !root) {
                node.problem("'$' is the whole value; name the field of " + example);
                return Optional.empty();
            }
            if (path.isEmpty()) {
                node.problem("'" + text + "' is not a JSON path of " + example);
            }
            return path;
        });
    }
}
