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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one page of a pull over HTTP: builds the request (the pull's headers over gamewire's
 * defaults, gzip accepted, the per-request timeout), waits for the host's {@link HostBudget}, and
 * sends it, retrying 429, 5xx, timeouts and network errors up to {@code limits.max-attempts} times
 * ({@link RetryDelays}). Every response's rate-limit headers ({@link RateLimitHeaders}) and every
 * {@code Retry-After} hold the whole host, so the other pulls to it wait too. Any other answer goes
 * back to {@link PullRun} to judge.
 *
 * <p>Redirects are followed here, not by HttpClient: its {@code Redirect.NORMAL} sends every header
 * of the request, the pull's {@code Authorization} too, to whatever host a {@code Location} names.
 * Within the request's origin (scheme, host and port) a redirect keeps the pull's credentials; a
 * redirect to another origin is followed without them (no auth, none of the title file's headers,
 * no validators, the query auth parameter taken out), as curl and browsers do, and they do not come
 * back for the rest of the chain. A redirect from https to http, a loop, or more than
 * {@value #MAX_REDIRECTS} redirects fail the request naming the chain.
 *
 * <p>A next page a {@code Link} header names is the same case: a URL the publisher chose, not the
 * title file. So it gets the credentials only on the origin of the pull's URL ({@link #sendToLink});
 * this class alone decides what a request carries, for pages, Links and redirects alike.
 *
 * <p>{@code java.net.http} rather than a Camel HTTP endpoint: a run reads a page as a stream while
 * it publishes, and decides per response (status, validators, Link header) what comes next.
 */
final class PageFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);
    private static final int ERROR_BODY_CHARS = 300;
    /** What a pull sends as User-Agent unless its headers name one (docs/titles.md). */
    static final String USER_AGENT = "gamewire-pull";
    /** Redirects followed for one request at most: as many as HttpClient follows by itself. */
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** What a request to another origin still carries: none of these holds the pull's credentials. */
    private static final Set<String> NEUTRAL_HEADERS = Set.of("accept", "accept-encoding", "user-agent");

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final PullRunner.Context context;
    private final PullRequests requests;
    private final Limits limits;

    /** A response with its place among the host's requests in flight, given back on close. */
    record Fetched(HttpResponse<InputStream> response, HostBudget.Permit permit) implements AutoCloseable {

        @Override
        public void close() {
            permit.close();
        }
    }

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
     * 429 or 5xx, holding its place in flight until the caller closes it (after reading the body).
     * The URL is one the title file gives (the pull's URL with its parameters, a detail of
     * {@code follow.url}, an index page), so the request carries the pull's credentials.
     *
     * @throws PullFailedException when the attempts are spent, naming the last problem; when the
     *         host asks for a longer wait than {@code limits.max-backoff}; or when interrupted
     */
    Fetched send(int page, URI uri, Map<String, String> extraHeaders) throws PullFailedException {
        return send(page, uri, extraHeaders, HostBudgets.origin(uri));
    }

    /**
     * As {@link #send(int, URI, Map)}, for a next page the publisher named ({@code Link}): on the
     * origin of the pull's URL with the credentials, on any other without them, as a redirect there.
     */
    Fetched sendToLink(int page, URI uri, Map<String, String> extraHeaders) throws PullFailedException {
        String origin = requests.origin();
        if (HostBudgets.origin(uri).equals(origin)) {
            return send(page, requests.link(uri), extraHeaders, origin);
        }
        LOG.debug("Pull {}: page {}: {} is on another origin than the pull's URL; fetched without the pull's"
                + " credentials", name, page, requests.display(uri));
        return send(page, uri, extraHeaders, origin);
    }

    /**
     * Why a pull does not go from {@code from} to {@code to} when a response names {@code to} (in a
     * {@code step}: a redirect, a Link): it is no http(s) URL, or it gives up TLS; empty if it may.
     */
    static Optional<String> refusedStep(URI from, URI to, String step) {
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("which is not an http or https URL");
        }
        if (scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme())) {
            return Optional.of("from https to http; a pull never follows a " + step + " that gives up TLS");
        }
        return Optional.empty();
    }

    /** {@code uri} sent with the pull's credentials only when its origin is {@code credentialsOrigin}. */
    private Fetched send(int page, URI uri, Map<String, String> extraHeaders, String credentialsOrigin)
            throws PullFailedException {
        int attempts = Math.max(1, limits.maxAttempts());
        Duration maxBackoff = limits.maxBackoff() == null ? Duration.ofMinutes(1) : limits.maxBackoff();
        Duration after429 = pull.rate() == null ? PullDefinition.Rate.DEFAULT.after429() : pull.rate().after429();
        HostBudget budget = context.budgets().budget(uri, pull);
        int tooMany = 0;
        for (int attempt = 1; ; attempt++) {
            if (context.closed().getAsBoolean()) {
                throw failure("page " + page + ": not sent to " + requests.display(uri)
                        + ": the pull engine is closed (gamewire is stopping)");
            }
            HostBudget.Permit permit = acquire(budget, page, uri, maxBackoff);
            String problem;
            String said = "";
            Duration wait = null;
            String waitWhy = null;
            try {
                HttpResponse<InputStream> response = exchange(page, uri, extraHeaders, credentialsOrigin);
                RateLimitHeaders.hold(response.headers(), context.clock().instant()).ifPresent(hold ->
                        budget.holdUntil(context.clock().instant().plus(hold), "its rate-limit headers say the"
                                + " budget is spent"));
                int status = response.statusCode();
                if (status != 429 && status < 500) {
                    Fetched fetched = new Fetched(response, permit);
                    permit = null;
                    return fetched;
                }
                problem = "HTTP " + status;
                try (InputStream body = response.body()) {
                    said = errorBody(body);
                }
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                Optional<Duration> asked = context.delays().asked(retryAfter);
                if (asked.isPresent()) {
                    wait = asked.get();
                    problem += " with Retry-After " + retryAfter.trim();
                    waitWhy = "the publisher asks for " + wait.toSeconds() + " s";
                    budget.holdUntil(context.clock().instant().plus(wait), problem + " to " + requests.display(uri));
                } else if (status == 429) {
                    wait = RetryDelays.after429(++tooMany, after429);
                    waitWhy = "the wait after " + tooMany + " 429(s) without Retry-After is " + wait.toSeconds()
                            + " s (rate.after-429 " + after429.toSeconds() + " s, doubling)";
                    budget.holdUntil(context.clock().instant().plus(wait), problem + " to " + requests.display(uri));
                }
            } catch (HttpTimeoutException e) {
                problem = "no response within " + pull.request().timeout().toMillis() + " ms";
            } catch (IOException e) {
                problem = message(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("page " + page + ": interrupted while fetching " + requests.display(uri));
            } finally {
                if (permit != null) {
                    permit.close();
                }
            }
            if (attempt >= attempts) {
                throw failure("page " + page + ": " + problem + " from " + requests.display(uri)
                        + (attempt == 1 ? "" : " after " + attempt + " attempts") + said);
            }
            if (wait != null && wait.compareTo(maxBackoff) > 0) {
                // not shortened: the host is held for it, and the next run waits or stops likewise
                throw failure("page " + page + ": " + problem + " from " + requests.display(uri) + ": " + waitWhy
                        + ", longer than limits.max-backoff " + maxBackoff.toSeconds() + " s; no pull of this instance"
                        + " sends to " + budget.key() + " before " + context.clock().instant().plus(budget.holdLeft())
                        + said);
            }
            context.metrics().retried(title, pull.name());
            boolean held = wait != null;
            if (!held) {
                wait = context.delays().jittered(attempt, maxBackoff);
            }
            LOG.info("Pull {}: page {}: {} from {}; attempt {} of {} in {} ms", name, page, problem,
                    requests.display(uri), attempt + 1, attempts, wait.toMillis());
            if (!held) {
                sleep(wait, page, uri);
            }
            // else the wait is the host's hold, which the next acquire waits out
        }
    }

    private HostBudget.Permit acquire(HostBudget budget, int page, URI uri, Duration maxBackoff)
            throws PullFailedException {
        try {
            return budget.acquire(maxBackoff, context.sleeper());
        } catch (HostBudget.HostBusyException e) {
            throw failure("page " + page + ": not sent to " + requests.display(uri) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("page " + page + ": interrupted while waiting to send to " + requests.display(uri));
        }
    }

    private void sleep(Duration wait, int page, URI uri) throws PullFailedException {
        try {
            context.sleeper().sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("page " + page + ": interrupted while waiting to retry " + requests.display(uri));
        }
    }

    /**
     * Sends the request for {@code uri} and follows its redirects (see the class comment); returns
     * the first answer that is no redirect, or a redirect without a {@code Location}. The pull's
     * credentials go along while the chain stays on {@code credentialsOrigin}.
     */
    private HttpResponse<InputStream> exchange(int page, URI uri, Map<String, String> extraHeaders,
                                               String credentialsOrigin)
            throws IOException, InterruptedException, PullFailedException {
        boolean credentials = HostBudgets.origin(uri).equals(credentialsOrigin);
        URI at = credentials ? uri : requests.withoutQueryAuth(uri);
        List<URI> chain = new ArrayList<>(List.of(at));
        while (true) {
            HttpResponse<InputStream> response = context.http().send(request(at, extraHeaders, credentials),
                    HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            response.body().close();
            URI next;
            try {
                next = at.resolve(location.get().trim());
            } catch (IllegalArgumentException e) {
                throw failure("page " + page + ": " + requests.display(at) + " answered HTTP " + response.statusCode()
                        + " with a Location that is no URL");
            }
            Optional<String> refused = refusedStep(at, next, "redirect");
            if (refused.isPresent()) {
                throw failure("page " + page + ": " + requests.display(at) + " redirects to " + requests.display(next)
                        + ", " + refused.get());
            }
            // once the chain left the origin, the credentials stay behind for the rest of it
            credentials = credentials && HostBudgets.origin(next).equals(credentialsOrigin);
            next = credentials ? requests.link(next) : requests.withoutQueryAuth(next);
            chain.add(next);
            if (chain.subList(0, chain.size() - 1).contains(next)) {
                throw failure("page " + page + ": a redirect loop: " + chain(chain));
            }
            if (chain.size() > MAX_REDIRECTS + 1) {
                throw failure("page " + page + ": more than " + MAX_REDIRECTS + " redirects: " + chain(chain));
            }
            if (!credentials) {
                LOG.debug("Pull {}: page {}: {} redirects to another origin; followed without the pull's credentials",
                        name, page, requests.display(at));
            }
            at = next;
        }
    }

    private String chain(List<URI> chain) {
        return chain.stream().map(requests::display).collect(Collectors.joining(" → "));
    }

    /**
     * The GET for {@code uri}: gamewire's defaults, then the title file's headers and auth, then
     * {@code extraHeaders}; without {@code credentials}, only the headers that hold none.
     */
    private HttpRequest request(URI uri, Map<String, String> extraHeaders, boolean credentials)
            throws PullFailedException {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
            if (pull.request().timeout() != null && !pull.request().timeout().isZero()) {
                builder.timeout(pull.request().timeout());
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept", pull.body().format() == BodyFormat.NDJSON
                    ? "application/x-ndjson, application/json;q=0.5" : "application/json");
            headers.put("Accept-Encoding", "gzip");
            headers.put("User-Agent", USER_AGENT);
            // the title file's headers win over the defaults above
            requests.headers().forEach((header, value) -> {
                headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(header));
                headers.put(header, value);
            });
            headers.putAll(extraHeaders);
            if (!credentials) {
                headers.keySet().removeIf(header -> !NEUTRAL_HEADERS.contains(header.toLowerCase(Locale.ROOT)));
            }
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
