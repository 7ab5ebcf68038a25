package io.gamewire.pulls;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.titles.model.EnvPlaceholders;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second step of a two-step pull ({@code follow:}): for each listed item, the detail URL made
 * from the item and that URL fetched on one of {@code follow.concurrency} threads of this run,
 * through the same {@link PageFetcher} as the pages (the host's budget, retries, the pull's
 * headers and auth). A detail is one JSON document in UTF-8, read whole ({@code limits.max-document-bytes}
 * at most).
 */
final class DetailFetcher implements AutoCloseable {

    private static final Pattern ITEM_PLACEHOLDER = Pattern.compile("\\{(\\$[^{}]*)}");

    private final String template;
    private final String name;
    private final PageFetcher fetcher;
    private final PullRequests requests;
    private final PullRunner.Context context;
    private final Duration bodyTimeout;
    private final int maxBytes;
    private final ExecutorService threads;

    private DetailFetcher(String template, int concurrency, String name, PageFetcher fetcher, PullRequests requests,
                          PullRunner.Context context, Duration bodyTimeout, int maxBytes) {
        this.template = template;
        this.name = name;
        this.fetcher = fetcher;
        this.requests = requests;
        this.context = context;
        this.bodyTimeout = bodyTimeout;
        this.maxBytes = maxBytes;
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(Math.max(1, concurrency), task -> {
            Thread thread = new Thread(task, "gamewire-pull-follow-" + name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** For one run; its {@code {env:NAME}} placeholders resolved now, failing the run naming a variable that is not set. */
    static DetailFetcher of(String name, PullDefinition.Follow follow, PageFetcher fetcher, PullRequests requests,
                            PullRunner.Context context, Duration bodyTimeout, int maxBytes) throws PullFailedException {
        try {
            String template = EnvPlaceholders.resolve(follow.url(), context.environment(), value -> { });
            return new DetailFetcher(template, follow.concurrency(), name, fetcher, requests, context, bodyTimeout,
                    maxBytes);
        } catch (EnvPlaceholders.MissingVariableException e) {
            throw new PullFailedException(name + ": environment variable " + e.variable() + " is not set; follow.url"
                    + " needs it");
        }
    }

    /**
     * The detail URL of {@code item}: each {@code {$…}} replaced by the item's value there, as
     * text ({@link ItemEmitter#text}), path-segment encoded.
     *
     * @throws DetailException (permanent) naming the placeholder the item has no value for
     */
    URI uri(JsonNode item) throws DetailException {
        Matcher placeholders = ITEM_PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (placeholders.find()) {
            JsonPath path = JsonPath.parse(placeholders.group(1)).orElseThrow();
            String value = ItemEmitter.text(path.read(item));
            if (value == null) {
                throw new DetailException("it has nothing at " + path + " for follow.url", true);
            }
            placeholders.appendReplacement(url, Matcher.quoteReplacement(PullRequests.encode(value)));
        }
        placeholders.appendTail(url);
        return requests.link(URI.create(url.toString()));
    }

    /**
     * Fetches the detail on one of the run's threads; fails with a {@link DetailException},
     * permanent (the item's detail will never be had: a 4xx, not JSON, not UTF-8, too large) or not (the
     * host busy, the attempts spent, a broken body).
     */
    CompletableFuture<JsonNode> fetch(int page, URI uri) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return get(page, uri);
            } catch (DetailException e) {
                throw new CompletionException(e);
            } catch (PullFailedException e) {
                // "<pull>: page <n>: <what>": the caller names pull, page and item itself
                String prefix = name + ": page " + page + ": ";
                String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                        : e.getMessage();
                throw new CompletionException(new DetailException(message, false));
            }
        }, threads);
    }

    private JsonNode get(int page, URI uri) throws PullFailedException, DetailException {
        // a detail is one JSON document, whatever the list's format asks for
        try (PageFetcher.Fetched fetched = fetcher.send(page, uri, Map.of("Accept", "application/json"))) {
            HttpResponse<InputStream> response = fetched.response();
            InputStream body = response.body();
            StalledBodyGuard guard = new StalledBodyGuard(body, bodyTimeout, context.watchdog());
            try (guard) {
                int status = response.statusCode();
                if (status < 200 || status > 299) {
                    throw new DetailException("HTTP " + status + " from " + requests.display(uri)
                            + PageFetcher.errorBody(body), permanent(status));
                }
                String contentType = response.headers().firstValue("Content-Type").orElse(null);
                if (!PageReader.isJson(PageReader.mediaType(contentType))) {
                    throw new DetailException(requests.display(uri) + " answered with " + (contentType == null
                            ? "no Content-Type" : "content type '" + contentType + "'") + "; a detail must be JSON",
                            true);
                }
                Optional<String> charset = PublisherBody.charsetRefusal(contentType);
                if (charset.isPresent()) {
                    throw new DetailException(requests.display(uri) + " " + charset.get(), true);
                }
                byte[] bytes = PublisherBody.open(response, guard, maxBytes).readAllBytes();
                JsonNode detail = context.mapper().readTree(bytes);
                if (detail == null || detail.isMissingNode()) {
                    throw new DetailException(requests.display(uri) + " sent an empty body", true);
                }
                return detail;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new DetailException(requests.display(uri) + " sent malformed JSON: " + e.getOriginalMessage(),
                        true);
            } catch (BodyRefusedException e) {
                // too large or not UTF-8: the publisher would send it so again
                throw new DetailException(requests.display(uri) + ": " + e.getMessage(), true);
            } catch (IOException e) {
                throw new DetailException(requests.display(uri) + ": reading the detail failed: "
                        + PageFetcher.message(e), false);
            } finally {
                guard.stop();
            }
        }
    }

    /**
     * Whether an answer says the item's detail will never be had: a 4xx about the item (400, 404,
     * 410, …). Not a 401 or 403 (a token expired or rotated: every item would fail alike), 408
     * (time-out), 429 (too many), a 3xx not followed, or a 5xx: those may pass.
     */
    static boolean permanent(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /**
     * One detail that could not be had. Permanent: the item is dead-lettered and the run goes past
     * it. Not: the item is not published, and the run fails at the page's end, the watermark before it.
     */
    static final class DetailException extends Exception {

        private final boolean permanent;

        DetailException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        boolean permanent() {
            return permanent;
        }
    }
}
