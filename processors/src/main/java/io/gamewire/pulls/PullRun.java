package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one pull: fetches page after page, publishes each new item, and after each page
 * waits for every confirm of that page before storing the watermark and asking for the next page.
 * So the stored watermark never runs ahead of what is on the bus: a crash or a failure re-fetches
 * from the last confirmed page, and the dedupe keeps the re-fetched items off the bus.
 *
 * <p>An item whose payload the command's schema refuses would be refused on every re-fetch, so it
 * must not fail the page: it is dead-lettered instead (confirmed like a publish), and the run, the
 * dedupe and the watermark go past it.
 *
 * <p>A run that stops at {@code limits.max-pages} with pages left stores where the next page is
 * ({@link PullState#resume()}), and the next normal run goes on from there with the same watermark
 * parameter, so a long sequence of pages is read over several runs instead of its first pages over
 * and over. A backfill neither uses nor moves that point.
 *
 * <p>Used once and dropped; {@link PullRunner} makes one per run.
 */
final class PullRun {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);

    /** Items published but not yet confirmed, at most; then reading waits for their confirms. */
    static final int MAX_IN_FLIGHT = 1000;
    /** The longest wait for one confirm; the bus publisher's own timeout should come first. */
    static final Duration CONFIRM_WAIT = Duration.ofMinutes(2);

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final RunOptions options;
    private final PullRunner.Context context;
    private final PullDedupe dedupe;
    private final Limits limits;
    private final ObjectMapper mapper;

    private PageReader reader;
    private PullRequests requests;
    private PageFetcher fetcher;
    private String watermark;
    private int pagesDone;
    private long itemsSeen;
    private long published;
    private long deadLettered;
    private long duplicates;
    private boolean morePages;
    private boolean notModified;
    /** This run goes on where the last one stopped at max-pages. */
    private boolean resumed;
    // validators of the first response, stored when the whole run succeeded
    private String etag = "";
    private String lastModified = "";

    // the page being read
    private int page;
    private long pageItems;
    private String pageWatermark;
    private JsonNode lastItem;
    private final List<Pending> pending = new ArrayList<>();
    private final Set<String> inFlight = new HashSet<>();

    /** An item sent, not yet confirmed; {@code refusal} is the schema's refusal when it was dead-lettered. */
    private record Pending(String id, long index, long line, CompletableFuture<Void> confirm, String refusal) {

        boolean deadLettered() {
            return refusal != null;
        }
    }

    PullRun(String title, PullDefinition pull, RunOptions options, PullRunner.Context context, PullDedupe dedupe) {
        this.title = title;
        this.pull = pull;
        this.name = title + "/" + pull.name();
        this.options = options;
        this.context = context;
        this.dedupe = dedupe;
        this.limits = pull.limits();
        this.mapper = context.mapper();
    }

    /** Runs; never throws: a failure is a result. */
    PullResult execute() {
        Clock clock = context.clock();
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        String failure = null;
        try {
            fetchAll();
        } catch (PullFailedException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            // a KV store that failed, or a bug: still this run's failure, with the stack for the latter
            failure = name + ": " + e;
            LOG.warn("Pull {}: unexpected failure", name, e);
        }
        try {
            if (failure == null) {
                boolean keepValidators = pull.request().conditional() && options.since() == null && !resumed
                        && !notModified;
                PullState.storeRun(context.kv(), title, pull.name(), startedAt, null,
                        keepValidators ? etag : null, keepValidators ? lastModified : null);
            } else {
                PullState.storeRun(context.kv(), title, pull.name(), startedAt, failure, null, null);
                if (resumed) {
                    // the resume point may be what failed (a cursor the API no longer takes), and
                    // would then fail every run: the next one starts over, re-read items skipped
                    PullState.storeResume(context.kv(), title, pull.name(), null, null);
                    LOG.info("Pull {}: the resumed run failed; the next run starts from the {}", name,
                            pull.watermark() == null ? "first page" : "watermark");
                }
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = name + ": the run's state could not be stored: " + e;
            } else {
                LOG.warn("Pull {}: the failed run's state could not be stored: {}", name, e.toString());
            }
        }
        PullResult.Outcome outcome = failure != null ? PullResult.Outcome.FAILED
                : notModified ? PullResult.Outcome.NOT_MODIFIED : PullResult.Outcome.OK;
        return new PullResult(title, pull.name(), outcome, pagesDone, itemsSeen, published, deadLettered,
                duplicates, morePages, watermark, failure, startedAt, Duration.ofNanos(System.nanoTime() - start));
    }

    private void fetchAll() throws PullFailedException {
        try {
            reader = PageReader.of(pull, mapper);
        } catch (IllegalArgumentException e) {
            throw new PullFailedException(name + ": " + e.getMessage(), e);
        }
        requests = PullRequests.resolve(name, pull.request(), context.environment());
        fetcher = new PageFetcher(title, pull, name, context, requests);
        PullState stored = PullState.load(context.kv(), title, pull.name());
        watermark = stored.watermark();
        Pager pager = new Pager(pull.paging());
        resumed = resume(pager, stored);

        PullDefinition.Watermark mark = pull.watermark();
        // a resumed run reads the rest of the last run's result set, so with that run's since
        String since = options.since() != null ? options.since() : resumed ? stored.resumeSince()
                : watermark != null ? watermark : mark == null ? null : mark.initial();
        Map<String, String> fixed = new LinkedHashMap<>();
        if (mark != null && mark.param() != null && since != null) {
            fixed.put(mark.param(), since);
        }
        // validators only on the first request of a normal run that starts at the first page: they
        // describe that page's response, not a backfill's, and later pages are other resources
        Map<String, String> validators = new LinkedHashMap<>();
        if (pull.request().conditional() && options.since() == null && !resumed) {
            if (stored.etag() != null) {
                validators.put("If-None-Match", stored.etag());
            }
            if (stored.lastModified() != null) {
                validators.put("If-Modified-Since", stored.lastModified());
            }
        }

        int maxPages = limits.maxPages() > 0 ? limits.maxPages() : Integer.MAX_VALUE;
        for (page = 1; ; page++) {
            URI uri;
            if (pager.link() != null) {
                uri = requests.link(pager.link());
            } else {
                Map<String, String> params = new LinkedHashMap<>(fixed);
                params.putAll(pager.params());
                uri = requests.uri(params);
            }
            Map<String, String> extra = page == 1 ? validators : Map.of();
            HttpResponse<InputStream> response = fetcher.send(page, uri, extra);
            JsonNode captured;
            pageItems = 0;
            pageWatermark = null;
            lastItem = null;
            InputStream body = response.body();
            try {
                int status = response.statusCode();
                if (status == 304 && page == 1 && !extra.isEmpty()) {
                    notModified = true;
                    return;
                }
                if (status < 200 || status > 299) {
                    throw failure("page " + page + ": HTTP " + status + " from " + requests.display(uri)
                            + PageFetcher.errorBody(body));
                }
                if (page == 1) {
                    etag = response.headers().firstValue("ETag").orElse("");
                    lastModified = response.headers().firstValue("Last-Modified").orElse("");
                }
                captured = status == 204 ? null : readPage(response, body, uri);
            } finally {
                closeQuietly(body);
            }
            finishPage();

            String cursor = null;
            if (pull.paging() != null && pull.paging().from() != null) {
                JsonNode cursorNode = pull.body().format() == BodyFormat.JSON_ITEMS ? captured
                        : lastItem == null ? null : pull.paging().from().read(lastItem);
                cursor = text(cursorNode);
            }
            boolean next;
            try {
                // without the query auth secret, which requests.link adds again, so a stored
                // resume point never holds it
                next = pager.advance(pageItems, cursor,
                        requests.withoutQueryAuth(LinkHeader.next(response.headers().allValues("Link"), uri)));
            } catch (IllegalStateException | IllegalArgumentException e) {
                // a repeating cursor, or a Link target that is no URI
                throw failure("page " + page + ": " + e.getMessage());
            }
            if (!next) {
                if (resumed) {
                    PullState.storeResume(context.kv(), title, pull.name(), null, null);
                }
                return;
            }
            if (page >= maxPages) {
                morePages = true;
                if (options.since() == null) {
                    PullState.storeResume(context.kv(), title, pull.name(), pager.position(), since);
                }
                return;
            }
        }
    }

    /**
     * Starts {@code pager} where the last normal run stopped at max-pages, when this is a normal run
     * and there is such a point; one that no longer fits the pull's paging (the title file changed
     * it) is dropped. A backfill starts at its own first page and leaves the point as it is.
     */
    private boolean resume(Pager pager, PullState stored) {
        if (options.since() != null || stored.resume() == null) {
            return false;
        }
        try {
            pager.resumeAt(stored.resume());
        } catch (IllegalArgumentException e) {
            LOG.warn("Pull {}: {}; starting from the first page", name, e.getMessage());
            PullState.storeResume(context.kv(), title, pull.name(), null, null);
            return false;
        }
        LOG.info("Pull {}: going on where the last run stopped at limits.max-pages", name);
        return true;
    }

    /** Checks the content type and reads the items; a malformed body fails the run after its confirms. */
    private JsonNode readPage(HttpResponse<InputStream> response, InputStream body, URI uri)
            throws PullFailedException {
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        String media = PageReader.mediaType(contentType);
        if (!reader.accepts(media)) {
            throw failure("page " + page + ": " + requests.display(uri) + " answered with "
                    + (contentType == null ? "no Content-Type" : "content type '" + contentType + "'")
                    + "; body.format " + format() + " needs " + reader.expectedContentType());
        }
        StalledBodyGuard guard = new StalledBodyGuard(body, bodyTimeout(), context.watchdog());
        try {
            InputStream items = guard;
            if (response.headers().firstValue("Content-Encoding").map(e -> e.equalsIgnoreCase("gzip")).orElse(false)) {
                try {
                    items = new GZIPInputStream(body, 64 * 1024);
                } catch (IOException e) {
                    throw new PageFormatException("the gzip header could not be read: " + message(e), e);
                }
            }
            return reader.read(items, this::item);
        } catch (PageFormatException e) {
            settlePending();
            throw new PullFailedException(name + ": page " + page + ": " + e.getMessage()
                    + watermarkStays(), e);
        } catch (PullFailedException e) {
            settlePending();
            throw e;
        } finally {
            guard.stop();
        }
    }

    /** How long a body may send nothing: the request's timeout, else a minute. */
    private Duration bodyTimeout() {
        Duration timeout = pull.request().timeout();
        return timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofMinutes(1) : timeout;
    }

    /** One item of the current page: dedupe, publish, remember its watermark. */
    private void item(JsonNode item, long index, long line) throws PullFailedException {
        itemsSeen++;
        pageItems++;
        lastItem = item;
        PullDefinition.Emit emit = pull.emit();
        String id = text(emit.id() == null ? null : emit.id().read(item));
        if (id == null) {
            throw failure("page " + page + ": " + position(index, line) + " has no id at " + emit.id());
        }
        PullDefinition.Watermark mark = pull.watermark();
        if (mark != null && mark.from() != null) {
            String value = text(mark.from().read(item));
            if (value != null) {
                // duplicates count too: they were confirmed before
                pageWatermark = Watermarks.max(mark.kind(), pageWatermark, value);
            }
        }
        if (dedupe.seen(id) || !inFlight.add(id)) {
            duplicates++;
            return;
        }
        JsonNode payload = isWhole(emit.payload()) ? item : emit.payload().read(item);
        if (payload == null) {
            throw failure("page " + page + ": " + position(index, line) + " (id " + id + ") has nothing at "
                    + emit.payload());
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw failure("page " + page + ": " + position(index, line) + " could not be written as JSON: "
                    + e.getOriginalMessage());
        }
        PulledItem pulled = new PulledItem(title, pull.name(), emit.routingKey(), json, id);
        String refusal = null;
        CompletableFuture<Void> confirm;
        try {
            confirm = sent(context.publisher().publish(pulled));
        } catch (ItemRefusedException e) {
            refusal = e.getMessage();
            confirm = deadLetter(pulled, "pull " + name + ", page " + page + ", " + position(index, line) + " (id "
                    + id + "): " + refusal);
        } catch (RuntimeException e) {
            confirm = CompletableFuture.failedFuture(e);
        }
        pending.add(new Pending(id, index, line, confirm, refusal));
        if (pending.size() >= MAX_IN_FLIGHT) {
            awaitPending();
        }
    }

    private CompletableFuture<Void> deadLetter(PulledItem item, String reason) {
        try {
            return sent(context.publisher().deadLetter(item, reason));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static CompletableFuture<Void> sent(CompletableFuture<Void> confirm) {
        return confirm != null ? confirm
                : CompletableFuture.failedFuture(new IllegalStateException("the publisher returned no future"));
    }

    /** The end of a page: every confirm in, then the watermark stored, then progress told. */
    private void finishPage() throws PullFailedException {
        awaitPending();
        PullDefinition.Watermark mark = pull.watermark();
        if (mark != null && pageWatermark != null) {
            // never backwards: a backfill or an API that repeats older items leaves it where it is
            String next = Watermarks.max(mark.kind(), watermark, pageWatermark);
            if (!next.equals(watermark)) {
                PullState.storeWatermark(context.kv(), title, pull.name(), next);
                watermark = next;
            }
        }
        pagesDone++;
        options.progress().page(pagesDone, itemsSeen, published);
    }

    /**
     * Waits for every pending confirm; marks the confirmed ids seen (a dead-lettered one too: it is
     * safe in its .dlq); fails on the first refusal by the broker.
     */
    private void awaitPending() throws PullFailedException {
        PullFailedException first = null;
        long deadline = System.nanoTime() + CONFIRM_WAIT.toNanos();
        for (Pending item : pending) {
            try {
                item.confirm().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                dedupe.markSeen(item.id());
                if (item.deadLettered()) {
                    deadLettered++;
                    LOG.warn("Pull {}: {} dead-lettered, its payload was refused: {}", name, describe(item),
                            item.refusal());
                } else {
                    published++;
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (first == null) {
                    first = failure(describe(item) + " was not " + (item.deadLettered() ? "dead-lettered" : "published") + ": "
                            + message(cause) + watermarkStays(), cause);
                }
            } catch (TimeoutException e) {
                if (first == null) {
                    first = failure(describe(item) + " was not confirmed within " + CONFIRM_WAIT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                first = failure("page " + page + ": interrupted while waiting for confirms");
                break;
            }
        }
        pending.clear();
        inFlight.clear();
        if (first != null) {
            throw first;
        }
    }

    /** "page 2: item at index 7 (id r-812)", for messages. */
    private String describe(Pending item) {
        return "page " + page + ": " + position(item.index(), item.line()) + " (id " + item.id() + ")";
    }

    /** After a failure mid-page: still marks what was confirmed, so a re-fetch skips it. */
    private void settlePending() {
        try {
            awaitPending();
        } catch (PullFailedException alreadyFailing) {
            // the run fails with the first error; this one is a consequence or a second opinion
            LOG.debug("Pull {}: {}", name, alreadyFailing.getMessage());
        }
    }

    private String watermarkStays() {
        return pull.watermark() == null ? "" : "; the watermark stays at " + (watermark == null ? "none" : watermark);
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // what was read was read; the connection is dropped either way
        }
    }

    private String format() {
        return pull.body().format().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String position(long index, long line) {
        return line > 0 ? "line " + line + " (item at index " + index + ")" : "item at index " + index;
    }

    private static boolean isWhole(JsonPath path) {
        return path == null || path.steps().isEmpty();
    }

    /** A value as text: a string's content, a number's digits; a container as JSON; null if absent. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String text = node.isValueNode() ? node.asText() : node.toString();
        return text.isEmpty() ? null : text;
    }

    private static String message(Throwable e) {
        return PageFetcher.message(e);
    }

    private PullFailedException failure(String detail) {
        return new PullFailedException(name + ": " + detail);
    }

    private PullFailedException failure(String detail, Throwable cause) {
        return new PullFailedException(name + ": " + detail, cause);
    }
}
