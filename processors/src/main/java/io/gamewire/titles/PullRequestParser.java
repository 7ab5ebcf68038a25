package io.gamewire.titles;

import io.gamewire.titles.model.EnvPlaceholders;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import io.gamewire.titles.model.PullDefinition.Request;
import io.gamewire.titles.yaml.YamlNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a pull's {@code request:}: the URL, headers, authentication, timeout and conditional
 * requests. Apart from the other parts of a pull because it is where secrets and placeholders come
 * in, and its checks (no secret written in the file, only {@code {env:NAME}} in braces) are its own.
 */
final class PullRequestParser {

    private static final Pattern PLACEHOLDER = EnvPlaceholders.PLACEHOLDER;
    private static final Pattern BRACED = Pattern.compile("\\{[^{}]*}");
    /** What is meant as a placeholder in a header value, closed or not. */
    private static final Pattern ENV_LIKE = Pattern.compile("\\{env:[^}]*}?");
    private static final Pattern ENV_VAR = EnvPlaceholders.NAME;
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private PullRequestParser() {
    }

    static Request request(YamlNode node, PullQueryParameters parameters) {
        Map<String, YamlNode> fields = node.fields(Set.of("url", "headers", "auth", "timeout", "conditional"),
                Set.of("url"));
        String url = Optional.ofNullable(fields.get("url")).flatMap(PullRequestParser::url).orElse(null);
        Map<String, String> headers = new LinkedHashMap<>();
        if (fields.containsKey("headers")) {
            for (Map.Entry<String, YamlNode> entry : fields.get("headers").entries().entrySet()) {
                header(entry.getKey(), entry.getValue()).ifPresent(value -> headers.put(entry.getKey(), value));
            }
        }
        Auth auth = fields.containsKey("auth") ? auth(fields.get("auth"), parameters) : Auth.NONE;
        Duration timeout = Optional.ofNullable(fields.get("timeout")).flatMap(n -> PullValues.duration(n, "1s", "10m"))
                .orElse(DEFAULT_TIMEOUT);
        boolean conditional = Optional.ofNullable(fields.get("conditional")).flatMap(PullValues::bool).orElse(true);
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

    /** An item placeholder of a follow URL: {@code {$}} or {@code {$.path}}; group 1 is the path. */
    static final Pattern ITEM_PLACEHOLDER = Pattern.compile("\\{(\\$[^{}]*)}");

    /** {@code follow: {url, merge?, concurrency?}}: a detail request per listed item. */
    static PullDefinition.Follow follow(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("url", "merge", "concurrency"), Set.of("url"));
        String url = Optional.ofNullable(fields.get("url")).flatMap(n -> n.text().filter(text -> {
            Matcher braced = BRACED.matcher(text);
            while (braced.find()) {
                if (!PLACEHOLDER.matcher(braced.group()).matches()
                        && !ITEM_PLACEHOLDER.matcher(braced.group()).matches()) {
                    n.problem("'" + braced.group() + "' in the follow URL is not a placeholder: {$} (the item), {$.id}"
                            + " (a field of it) and {env:NAME} are");
                    return false;
                }
            }
            Matcher items = ITEM_PLACEHOLDER.matcher(text);
            boolean any = false;
            while (items.find()) {
                any = true;
                if (JsonPath.parse(items.group(1)).isEmpty()) {
                    n.problem("'" + items.group() + "' in the follow URL is not {$} or a JSON path such as {$.id}");
                    return false;
                }
            }
            if (!any) {
                n.problem("'" + text + "' has no item in it: put {$} (the item itself) or {$.id} (a field of it)"
                        + " where the detail's URL takes it");
                return false;
            }
            // the pull's credentials go with every detail request: the list's data must not choose the host
            Matcher first = ITEM_PLACEHOLDER.matcher(text);
            if (first.find() && first.start() <= authorityEnd(text)) {
                n.problem("'" + text + "' puts an item before the path: the scheme and host come from the title file"
                        + " (or an {env:NAME}), never from the publisher's data");
                return false;
            }
            Optional<String> problem = urlProblem(items.replaceAll("x"));
            problem.ifPresent(message -> n.problem("'" + text + "' " + message.replace("{env:NAME}",
                    "{env:NAME} and {$…}")));
            return problem.isEmpty();
        })).orElse(null);
        boolean merge = Optional.ofNullable(fields.get("merge")).flatMap(PullValues::bool).orElse(false);
        int concurrency = Optional.ofNullable(fields.get("concurrency")).flatMap(n -> n.integer(1, 16)).orElse(2);
        return new PullDefinition.Follow(url, merge, concurrency);
    }

    /** {@code index: {items, url?, newest-first?}}: the request yields the pages. */
    static PullDefinition.Index index(YamlNode node) {
        Map<String, YamlNode> fields = node.fields(Set.of("items", "url", "newest-first"), Set.of("items"));
        JsonPath items = Optional.ofNullable(fields.get("items")).flatMap(n -> PullValues.path(n,
                "the array of page URLs (or ids) in the index, such as $.archives", false)).orElse(null);
        String url = Optional.ofNullable(fields.get("url")).flatMap(n -> n.text().filter(text -> {
            String withoutItem = text.replace("{$}", "x");
            if (withoutItem.equals(text)) {
                n.problem("'" + text + "' has no {$}: the place of the index entry (an id) in the page's URL");
                return false;
            }
            if (text.indexOf("{$}") <= authorityEnd(text)) {
                n.problem("'" + text + "' puts the entry before the path: the scheme and host come from the title"
                        + " file (or an {env:NAME}), never from the publisher's data");
                return false;
            }
            Optional<String> problem = urlProblem(withoutItem);
            problem.ifPresent(message -> n.problem("'" + text + "' " + message));
            return problem.isEmpty();
        })).orElse(null);
        boolean newestFirst = Optional.ofNullable(fields.get("newest-first")).flatMap(PullValues::bool).orElse(false);
        return new PullDefinition.Index(items, url, newestFirst);
    }

    /** Where the path of a URL (or of a leading {env:NAME} placeholder's value) begins. */
    private static int authorityEnd(String text) {
        Matcher leading = PLACEHOLDER.matcher(text);
        if (leading.lookingAt()) {
            return leading.end();
        }
        int scheme = text.indexOf("://");
        int slash = scheme < 0 ? -1 : text.indexOf('/', scheme + 3);
        return slash < 0 ? text.length() : slash;
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
    private static Auth auth(YamlNode node, PullQueryParameters parameters) {
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
                : parameters.read(nameNode);
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
}
