package io.gamewire.titles;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Body;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Emit;
import io.gamewire.titles.model.PullDefinition.Limits;
import io.gamewire.titles.model.PullDefinition.Rate;
import io.gamewire.titles.model.PullDefinition.RateShare;
import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.Request;
import io.gamewire.titles.model.PullDefinition.Schedule;
import io.gamewire.titles.model.PullDefinition.Watermark;
import io.gamewire.titles.model.PullDefinition.WatermarkKind;
import io.gamewire.titles.model.PullDefinition.Window;
import io.gamewire.titles.model.PullDefinition.WindowFormat;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.yaml.YamlNode;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Reads a title file's {@code pulls:} section (name → pull) into {@link PullDefinition}s, reporting
 * problems as the rest of {@link TitleFileParser} does: at the node, with its field path, all of
 * them in one pass. The fields, their defaults and the checks are in {@code docs/titles.md},
 * "Pulls". The request, the paging with the body, and the emit part each have their own parser
 * ({@link PullRequestParser}, {@link PullPagingParser}, {@link PullEmitParser}); this one reads the
 * pull as a whole, its schedule, watermark and limits.
 */
final class PullParser {

    static final Pattern PULL_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern EPOCH = Pattern.compile("\\d{1,19}");

    static final Limits DEFAULT_LIMITS = new Limits(50, 100_000, Duration.ofHours(24), 5, Duration.ofSeconds(60), 5,
            Duration.ofMinutes(5), Limits.DEFAULT_MAX_DOCUMENT_BYTES);

    private final PullEmitParser emits;

    /**
     * @param title        the title's name, null when it is invalid (routing keys are then not
     *                     checked against it)
     * @param environments the title's environments
     * @param services     the title's services, to check that a pull emits to a declared command
     */
    PullParser(String title, List<String> environments, Map<String, ServiceDefinition> services) {
        this.emits = new PullEmitParser(title, environments, services);
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

    private PullDefinition pull(String name, YamlNode node) {
        Map<String, YamlNode> fields = node.fields(
                Set.of("description", "schedule", "request", "index", "paging", "body", "watermark", "window", "follow",
                        "emit", "limits", "rate"),
                Set.of("schedule", "request", "emit"));
        PullQueryParameters parameters = new PullQueryParameters();
        String description = Optional.ofNullable(fields.get("description")).flatMap(YamlNode::text).orElse("");
        Schedule schedule = fields.containsKey("schedule") ? schedule(fields.get("schedule")) : null;
        Request request = fields.containsKey("request")
                ? PullRequestParser.request(fields.get("request"), parameters) : null;
        Body body = fields.containsKey("body") ? PullPagingParser.body(fields.get("body"))
                : new Body(BodyFormat.JSON_ARRAY, null);
        Paging paging = fields.containsKey("paging")
                ? PullPagingParser.paging(fields.get("paging"), body, parameters) : Paging.NONE;
        Watermark watermark = fields.containsKey("watermark") ? watermark(fields.get("watermark"), parameters) : null;
        Emit emit = fields.containsKey("emit") ? emits.emit(fields.get("emit")) : null;
        Limits limits = fields.containsKey("limits") ? limits(fields.get("limits")) : DEFAULT_LIMITS;
        Rate rate = fields.containsKey("rate") ? rate(fields.get("rate")) : Rate.DEFAULT;
        Window window = fields.containsKey("window") ? window(fields.get("window"), parameters) : null;
        PullDefinition.Follow follow = fields.containsKey("follow") ? PullRequestParser.follow(fields.get("follow"))
                : null;
        PullDefinition.Index index = fields.containsKey("index") ? PullRequestParser.index(fields.get("index")) : null;
        if (index != null) {
            // an index's pages are whole documents with their own validators, not a sequence to page or resume in
            for (String alone : List.of("paging", "watermark", "window")) {
                if (fields.containsKey(alone)) {
                    fields.get(alone).keyProblem("'" + alone + "' has no meaning with 'index': each page of the index"
                            + " is read whole, with its own ETag / Last-Modified, and closed once a later page exists");
                }
            }
        }
        parameters.reportRepeats();
        return new PullDefinition(name, description, schedule, request, paging, body, watermark, emit, limits, rate,
                window, follow, index);
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
        Duration every = Optional.ofNullable(fields.get("every")).flatMap(n -> PullValues.duration(n, "1s", "30d"))
                .orElse(null);
        return new Schedule(cron, every);
    }

    private static Watermark watermark(YamlNode node, PullQueryParameters parameters) {
        Map<String, YamlNode> fields = node.fields(Set.of("param", "from", "type", "initial"),
                Set.of("param", "from", "type"));
        String param = Optional.ofNullable(fields.get("param")).flatMap(parameters::read).orElse(null);
        JsonPath from = Optional.ofNullable(fields.get("from"))
                .flatMap(n -> PullValues.path(n, "the item's field holding the value, such as $.updatedAt", false))
                .orElse(null);
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

    private static Limits limits(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("max-pages", "dedupe-size", "dedupe-ttl", "max-attempts",
                "max-backoff", "breaker-failures", "breaker-open-for", "max-document-bytes"), Set.of());
        Limits defaults = DEFAULT_LIMITS;
        return new Limits(
                integer(fields, "max-pages", 1, 100_000, defaults.maxPages()),
                integer(fields, "dedupe-size", 1, 10_000_000, defaults.dedupeSize()),
                duration(fields, "dedupe-ttl", "1m", "30d", defaults.dedupeTtl()),
                integer(fields, "max-attempts", 1, 100, defaults.maxAttempts()),
                duration(fields, "max-backoff", "1s", "1h", defaults.maxBackoff()),
                integer(fields, "breaker-failures", 1, 1_000, defaults.breakerFailures()),
                duration(fields, "breaker-open-for", "1s", "1d", defaults.breakerOpenFor()),
                // 1 KiB to 1 GiB: a JSON page or detail is held in memory (items or bytes) until read whole
                integer(fields, "max-document-bytes", 1 << 10, 1 << 30, defaults.maxDocumentBytes()));
    }

    /** {@code window:}: the time window each run sends, from the last one's end (less the overlap) to now. */
    private static Window window(YamlNode node, PullQueryParameters parameters) {
        Map<String, YamlNode> fields = node.fields(Set.of("start-param", "end-param", "format", "overlap", "max",
                "earliest"), Set.of("start-param", "end-param", "earliest"));
        String start = Optional.ofNullable(fields.get("start-param")).flatMap(parameters::read).orElse(null);
        String end = Optional.ofNullable(fields.get("end-param")).flatMap(parameters::read).orElse(null);
        WindowFormat format = Optional.ofNullable(fields.get("format"))
                .flatMap(n -> n.text(Pattern.compile("epoch-seconds|epoch-millis|iso"),
                        "must be one of epoch-seconds, epoch-millis, iso"))
                .map(text -> WindowFormat.valueOf(text.replace('-', '_').toUpperCase(Locale.ROOT)))
                .orElse(WindowFormat.EPOCH_SECONDS);
        Duration overlap = duration(fields, "overlap", "1s", "30d", Duration.ZERO);
        Duration max = duration(fields, "max", "1m", "366d", null);
        Instant earliest = Optional.ofNullable(fields.get("earliest")).flatMap(n -> n.text().flatMap(text -> {
            Optional<Instant> at = instant(text);
            if (at.isEmpty()) {
                n.problem("'" + text + "' is not a time: ISO-8601 with a zone, such as 2026-01-01T00:00:00Z, or epoch"
                        + " seconds or milliseconds");
            }
            return at;
        })).orElse(null);
        return new Window(start, end, format, overlap, max, earliest);
    }

    /** ISO-8601 with a zone, or epoch seconds (up to 11 digits) or milliseconds. */
    private static Optional<Instant> instant(String text) {
        if (EPOCH.matcher(text).matches()) {
            if (text.length() > 15) {
                return Optional.empty();
            }
            long value = Long.parseLong(text);
            return Optional.of(text.length() <= 11 ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value));
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code rate:}: the host's request budget; {@code requests} and {@code per} come together. */
    private static Rate rate(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("concurrent", "requests", "per", "after-429", "share"),
                Set.of());
        Rate defaults = Rate.DEFAULT;
        if (node.isMapping() && fields.containsKey("requests") != fields.containsKey("per")) {
            node.problem("'requests' and 'per' go together: at most 'requests' requests per 'per' (such as"
                    + " requests: 100, per: 2m)");
        }
        RateShare share = Optional.ofNullable(fields.get("share"))
                .flatMap(n -> n.text(Pattern.compile("host|credential"), "must be host or credential"))
                .map(text -> RateShare.valueOf(text.toUpperCase(Locale.ROOT))).orElse(defaults.share());
        return new Rate(
                integer(fields, "concurrent", 1, 64, defaults.concurrent()),
                integer(fields, "requests", 1, 1_000_000, defaults.requests()),
                duration(fields, "per", "1s", "1d", defaults.per()),
                duration(fields, "after-429", "1s", "1h", defaults.after429()),
                share);
    }

    private static int integer(Map<String, YamlNode> fields, String name, int min, int max, int otherwise) {
        return Optional.ofNullable(fields.get(name)).flatMap(n -> n.integer(min, max)).orElse(otherwise);
    }

    private static Duration duration(Map<String, YamlNode> fields, String name, String min, String max,
                                     Duration otherwise) {
        return Optional.ofNullable(fields.get(name)).flatMap(n -> PullValues.duration(n, min, max)).orElse(otherwise);
    }
}
