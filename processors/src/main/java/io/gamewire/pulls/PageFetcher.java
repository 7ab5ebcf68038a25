package io.gamewire.pulls;

import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one page of a pull over HTTP: builds the request (the pull's headers over gamewire's
 * defaults, gzip accepted, the per-request timeout) and sends it, retrying 429, 5xx, timeouts and
 * network errors up to {@code limits.max-attempts} times with the publisher's {@code Retry-After}
 * or a jittered exponential back-off. Any other answer goes back to {@link PullRun} to judge.
 *
 * <p>{@code java.net.http} rather than a Camel HTTP endpoint: a run reads a page as a stream while
 * it publishes, and decides per response (status, validators, Link header) what comes next.
 */
final class PageFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);
    private static final int ERROR_BODY_CHARS = 300;

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final PullRunner.Context context;
    private final PullRequests requests;
    private final Limits limits;

    PageFetcher(String title, PullDefinition pull, String name, PullRunner.Context context, PullRequests requests) {
        this.title = title;
        this.pull = pull;
        this.name = name;
        this.context = context;
        this.requests = requests;
        this.limits = pull.limits();
    }

    /**
     * Sends the request for {@code page}, retrying as above; returns any response that is not
     * 429 or 5xx.
     *
     * @throws PullFailedException when the attempts are spent, naming the last problem, or when
     *         interrupted
     */
    HttpResponse<InputStream> send(int page, URI uri, Map<String, String> extraHeaders) throws PullFailedException {
        int attempts = Math.max(1, limits.maxAttempts());
        Duration maxBackoff = limits.maxBackoff() == null ? Duration.ofMinutes(1) : limits.maxBackoff();
        HttpRequest request = request(uri, extraHeaders);
        for (int attempt = 1; ; attempt++) {
            String problem;
            String said = "";
            String retryAfter = null;
            try {
                HttpResponse<InputStream> response = context.http().send(request,
                        HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status != 429 && status < 500) {
                    return response;
                }
                retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                problem = "HTTP " + status;
                try (InputStream body = response.body()) {
                    said = errorBody(body);
                }
            } catch (HttpTimeoutException e) {
                problem = "no response within " + pull.request().timeout().toMillis() + " ms";
            } catch (IOException e) {
                problem = message(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("page " + page + ": interrupted while fetching " + requests.display(uri));
            }
            if (attempt >= attempts) {
                throw failure("page " + page + ": " + problem + " from " + requests.display(uri)
                        + (attempt == 1 ? "" : " after " + attempt + " attempts") + said);
            }
            Duration wait = context.delays().delay(attempt, retryAfter, maxBackoff);
            context.metrics().retried(title, pull.name());
            LOG.info("Pull {}: page {}: {} from {}; attempt {} of {} in {} ms", name, page, problem,
                    requests.display(uri), attempt + 1, attempts, wait.toMillis());
            try {
                context.sleeper().sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("page " + page + ": interrupted while waiting to retry " + requests.display(uri));
            }
        }
    }

    private HttpRequest request(URI uri, Map<String, String> extraHeaders) throws PullFailedException {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
            if (pull.request().timeout() != null && !pull.request().timeout().isZero()) {
                builder.timeout(pull.request().timeout());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept", pull.body().format() == BodyFormat.NDJSON
                    ? "application/x-ndjson, application/json;q=0.5" : "application/json");
            headers.put("Accept-Encoding", "gzip");
            headers.put("User-Agent", "gamewire-pull");
            // the title file's headers win over the defaults above
            requests.headers().forEach((header, value) -> {
                headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(header));
                headers.put(header, value);
            });
            headers.putAll(extraHeaders);
            headers.forEach(builder::header);
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw failure("the request cannot be made: " + e.getMessage());
        }
    }

    /** Up to a few hundred characters of an error response, for the message. */
    static String errorBody(InputStream body) {
        try {
            byte[] start = body.readNBytes(ERROR_BODY_CHARS * 2);
            String text = new String(start, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            if (text.isEmpty()) {
                return "";
            }
            return ": " + (text.length() > ERROR_BODY_CHARS ? text.substring(0, ERROR_BODY_CHARS) + "…" : text);
        } catch (IOException e) {
            return "";
        }
    }

    static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private PullFailedException failure(String detail) {
        return new PullFailedException(name + ": " + detail);
    }
}
