package io.gamewire.pulls;

import io.gamewire.titles.model.EnvPlaceholders;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.Auth;
import io.gamewire.titles.model.PullDefinition.AuthKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The URLs and headers of one run's requests: {@code {env:NAME}} in the URL and in header values
 * resolved, the secret of {@code auth} read from its environment variable and put where the auth
 * kind says, and the paging and watermark parameters appended, URL-encoded. Resolved once per run,
 * so a rotated secret is picked up by the next run.
 *
 * <p>Secrets never reach a log line or an error: {@link #display} shows a URL with the auth
 * secret replaced by {@code ***}.
 */
final class PullRequests {

    private static final String HIDDEN = "***";

    private final String base;
    private final Map<String, String> headers;
    private final String queryAuthName;
    private final String queryAuthSecret;
    private final List<String> hidden;

    private PullRequests(String base, Map<String, String> headers, String queryAuthName, String queryAuthSecret,
                         List<String> hidden) {
        this.base = base;
        this.headers = headers;
        this.queryAuthName = queryAuthName;
        this.queryAuthSecret = queryAuthSecret;
        this.hidden = hidden;
    }

    /** Resolves a pull's request; fails naming the environment variable that is not set. */
    static PullRequests resolve(String name, PullDefinition.Request request, Function<String, String> environment)
            throws PullFailedException {
        List<String> hidden = new ArrayList<>();
        // a URL's variables are usually the publisher's base URL, which a log line should show; a
        // secret belongs in auth, whose value is hidden
        String url = substitute(name, request.url(), "its URL", environment, null);
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.headers() != null) {
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                headers.put(header.getKey(), substitute(name, header.getValue(), "header " + header.getKey(),
                        environment, hidden));
            }
        }
        Auth auth = request.auth() == null ? Auth.NONE : request.auth();
        String queryName = null;
        String querySecret = null;
        if (auth.kind() != AuthKind.NONE) {
            String secret = environment.apply(auth.envVar());
            if (secret == null || secret.isEmpty()) {
                throw new PullFailedException(name + ": environment variable " + auth.envVar()
                        + " is not set; it holds the secret of the pull's auth (" + auth.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + ")");
            }
            hidden.add(secret);
            switch (auth.kind()) {
                case BEARER -> headers.put("Authorization", "Bearer " + secret);
                case HEADER -> headers.put(auth.name(), secret);
                case QUERY -> {
                    queryName = auth.name();
                    querySecret = secret;
                }
                default -> throw new IllegalStateException("unknown auth kind " + auth.kind());
            }
        }
        try {
            new URI(url);
        } catch (URISyntaxException e) {
            throw new PullFailedException(name + ": the URL is not valid: " + e.getMessage(), e);
        }
        return new PullRequests(url, Map.copyOf(headers), queryName, querySecret, List.copyOf(hidden));
    }

    /** The configured URL with {@code params} (and a query auth parameter) appended. */
    URI uri(Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (queryAuthName != null) {
            all.put(queryAuthName, queryAuthSecret);
        }
        return URI.create(append(base, all));
    }

    /** A next-page link as the publisher gave it, with the query auth parameter added when missing. */
    URI link(URI next) {
        if (queryAuthName == null) {
            return next;
        }
        String query = next.getRawQuery();
        String prefix = encode(queryAuthName) + "=";
        if (query != null && (query.startsWith(prefix) || query.contains("&" + prefix))) {
            return next;
        }
        return URI.create(append(next.toString(), Map.of(queryAuthName, queryAuthSecret)));
    }

    /**
     * A link without the query auth parameter, fit to keep (the resume point) since the secret is
     * then not in it; {@link #link} adds it again. Unchanged when the auth is not by query.
     */
    URI withoutQueryAuth(URI next) {
        if (next == null || queryAuthName == null || next.getRawQuery() == null) {
            return next;
        }
        String prefix = encode(queryAuthName) + "=";
        String query = Arrays.stream(next.getRawQuery().split("&"))
                .filter(param -> !param.startsWith(prefix) && !param.equals(encode(queryAuthName)))
                .collect(Collectors.joining("&"));
        String text = next.toString();
        int start = text.indexOf('?');
        int fragment = text.indexOf('#', start);
        return URI.create(text.substring(0, start) + (query.isEmpty() ? "" : "?" + query)
                + (fragment < 0 ? "" : text.substring(fragment)));
    }

    /** The origin (scheme, host, port) of the pull's URL: where its credentials belong. */
    String origin() {
        return HostBudgets.origin(URI.create(base));
    }

    /** Headers every request carries (auth, the title file's headers). */
    Map<String, String> headers() {
        return headers;
    }

    /** A URL fit for a log line: secrets and resolved variables replaced by ***. */
    String display(URI uri) {
        String text = uri.toString();
        for (String value : hidden) {
            if (value.length() >= 4) {
                text = text.replace(encode(value), HIDDEN).replace(value, HIDDEN);
            }
        }
        if (queryAuthName != null) {
            text = text.replaceAll("([?&]" + Pattern.quote(encode(queryAuthName)) + "=)[^&#]*", "$1" + HIDDEN);
        }
        return text;
    }

    /** Appends URL-encoded parameters to a URL that may have a query already. */
    static String append(String url, Map<String, String> params) {
        if (params.isEmpty()) {
            return url;
        }
        String fragment = "";
        int hash = url.indexOf('#');
        if (hash >= 0) {
            fragment = url.substring(hash);
            url = url.substring(0, hash);
        }
        StringBuilder text = new StringBuilder(url);
        char separator = url.indexOf('?') < 0 ? '?' : url.endsWith("?") || url.endsWith("&") ? 0 : '&';
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (separator != 0) {
                text.append(separator);
            }
            text.append(encode(param.getKey())).append('=').append(encode(param.getValue()));
            separator = '&';
        }
        return text.append(fragment).toString();
    }

    /** Form encoding, but a space as %20: not every API reads '+' in a query as a space. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String substitute(String name, String text, String where, Function<String, String> environment,
                                     List<String> hidden) throws PullFailedException {
        if (text == null) {
            return null;
        }
        try {
            return EnvPlaceholders.resolve(text, environment, hidden == null ? value -> { } : hidden::add);
        } catch (EnvPlaceholders.MissingVariableException e) {
            throw new PullFailedException(name + ": environment variable " + e.variable() + " is not set; " + where
                    + " needs it");
        }
    }
}
