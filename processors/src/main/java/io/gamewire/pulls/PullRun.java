package io.gamewire.pulls;

import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.bus.PublishOrder;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of one pull, the run itself, used once and dropped: {@link PullRunner} is the engine that
 * makes one per run and keeps what outlives it, and {@link ManualPullRun} only records a run started
 * by hand. Its page loop asks {@link PageFetcher} for page after page, has {@link ItemEmitter}
 * publish each page's items, and after each page waits for every confirm of that page before
 * {@link PullCheckpoint} stores the watermark and the next page is asked for. So the stored
 * watermark never runs ahead of what is on the bus: a crash or a failure re-fetches from the last
 * confirmed page, and the dedupe keeps the re-fetched items off the bus. All the run's items are
 * published in one {@link PublishOrder}, so the broker receives them in page and item order.
 *
 * <p>A run that stops at {@code limits.max-pages} with pages left stores where the next page is
 * ({@link PullState#resume()}), and the next normal run goes on from there with the same watermark
 * parameter, so a long sequence of pages is read over several runs instead of its first pages over
 * and over. A backfill neither uses nor moves that point.
 */
final class PullRun {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final RunOptions options;
    private final PullRunner.Context context;
    private final PullDedupe dedupe;
    private final PullCheckpoint checkpoint;

    private PullRequests requests;
    private PageFetcher fetcher;
    /** Null unless the pull follows each item to its detail. */
    private DetailFetcher details;
    /** Null until the pull's body format and request were found usable. */
    private ItemEmitter items;
    private int pagesDone;
    private boolean morePages;
    private boolean notModified;

    PullRun(String title, PullDefinition pull, RunOptions options, PullRunner.Context context, PullDedupe dedupe) {
        this.title = title;
        this.pull = pull;
        this.name = title + "/" + pull.name();
        this.options = options;
        this.context = context;
        this.dedupe = dedupe;
        this.checkpoint = new PullCheckpoint(title, pull, name, options, context.kv(), context.clock());
    }

    /** Runs; never throws: a failure is a result. */
    PullResult execute() {
        Instant startedAt = context.clock().instant();
        long start = System.nanoTime();
        String failure = null;
        try (PublishOrder order = context.publisher().openOrder()) {
            fetchAll(order);
        } catch (PullFailedException e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            // a KV store that failed, or a bug: still this run's failure, with the stack for the latter
            failure = name + ": " + e;
            LOG.warn("Pull {}: unexpected failure", name, e);
        } finally {
            if (details != null) {
                details.close();
            }
        }
        failure = checkpoint.storeEnd(startedAt, failure, notModified);
        PullResult.Outcome outcome = failure != null ? PullResult.Outcome.FAILED
                : notModified ? PullResult.Outcome.NOT_MODIFIED : PullResult.Outcome.OK;
        ItemEmitter.Counts counts = items == null ? ItemEmitter.Counts.NONE : items.counts();
        return new PullResult(title, pull.name(), outcome, pagesDone, counts.seen(), counts.published(),
                counts.deadLettered(), counts.duplicates(), morePages, checkpoint.watermark(), failure, startedAt,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The page loop: until the last page, a 304 to the first request, or {@code limits.max-pages}. */
    private void fetchAll(PublishOrder order) throws PullFailedException {
        Pager pager = prepare(order);
        if (pull.index() != null) {
            IndexRun index = new IndexRun(title, pull, name, context, requests, fetcher, items, options);
            try {
                index.run();
            } finally {
                pagesDone = index.pagesDone();
                morePages = index.morePages();
            }
            return;
        }
        // sent with every page: the watermark and the time window
        Map<String, String> since = new LinkedHashMap<>(checkpoint.sinceParam());
        since.putAll(checkpoint.windowParams());
        Map<String, String> validators = checkpoint.validators();
        int maxPages = pull.limits().maxPages() > 0 ? pull.limits().maxPages() : Integer.MAX_VALUE;
        for (int page = 1; ; page++) {
            URI uri = uri(pager, since);
            Map<String, String> extra = page == 1 ? validators : Map.of();
            HttpResponse<InputStream> response;
            JsonNode captured;
            // the host's place in flight is given back once the body is read, before the confirms
            try (PageFetcher.Fetched fetched = pager.link() != null ? fetcher.sendToLink(page, uri, extra)
                    : fetcher.send(page, uri, extra)) {
                response = fetched.response();
                captured = receive(page, response, uri, !extra.isEmpty());
            }
            items.emitHeld();
            if (notModified) {
                return;
            }
            finishPage();
            if (!advance(pager, page, response, uri, captured)) {
                checkpoint.lastPageRead();
                return;
            }
            if (page >= maxPages) {
                morePages = true;
                checkpoint.stoppedAt(pager.position());
                return;
            }
        }
    }

    /** Everything a run needs before its first request; a pull the run cannot read or ask for fails here. */
    private Pager prepare(PublishOrder order) throws PullFailedException {
        PageReader reader;
        try {
            reader = PageReader.of(pull, context.mapper());
        } catch (IllegalArgumentException e) {
            throw new PullFailedException(name + ": " + e.getMessage(), e);
        }
        requests = PullRequests.resolve(name, pull.request(), context.environment());
        fetcher = new PageFetcher(title, pull, name, context, requests);
        if (pull.follow() != null) {
            details = DetailFetcher.of(name, pull.follow(), fetcher, requests, context, ItemEmitter.bodyTimeout(pull),
                    pull.limits().maxDocumentBytes());
        }
        items = new ItemEmitter(title, pull, name, context, dedupe, reader, requests, checkpoint, order, details);
        Pager pager = new Pager(pull.paging());
        checkpoint.load(pager);
        return pager;
    }

    /** The next page's URL; a Link's as the publisher named it, which the fetcher may add the query auth to. */
    private URI uri(Pager pager, Map<String, String> since) {
        if (pager.link() != null) {
            return pager.link();
        }
        Map<String, String> params = new LinkedHashMap<>(since);
        params.putAll(pager.params());
        return requests.uri(params);
    }

    /**
     * Judges a page's response and has its items emitted; a 304 to a conditional first request
     * ends the run as not modified.
     *
     * @return what the page reader captured outside the items, or null
     */
    private JsonNode receive(int page, HttpResponse<InputStream> response, URI uri, boolean conditional)
            throws PullFailedException {
        items.startPage(page);
        InputStream body = response.body();
        try {
            int status = response.statusCode();
            if (status == 304 && page == 1 && conditional) {
                notModified = true;
                return null;
            }
            if (status < 200 || status > 299) {
                throw failure("page " + page + ": HTTP " + status + " from " + requests.display(uri)
                        + PageFetcher.errorBody(body));
            }
            if (page == 1) {
                checkpoint.firstResponse(response.headers());
            }
            return status == 204 ? null : items.read(response, body, uri);
        } finally {
            closeQuietly(body);
        }
    }

    /** The end of a page: every confirm in, then the watermark stored, then progress told. */
    private void finishPage() throws PullFailedException {
        items.awaitConfirms();
        checkpoint.pageConfirmed(items.pageWatermark());
        pagesDone++;
        ItemEmitter.Counts counts = items.counts();
        options.progress().page(pagesDone, counts.seen(), counts.published());
    }

    /** Moves {@code pager} past this page; false when it was the last. */
    private boolean advance(Pager pager, int page, HttpResponse<InputStream> response, URI uri, JsonNode captured)
            throws PullFailedException {
        String cursor = null;
        if (pull.paging() != null && pull.paging().from() != null) {
            boolean keyset = pull.paging().kind() == PagingKind.KEYSET;
            JsonNode lastItem = items.lastItem();
            JsonNode cursorNode = pull.body().format() == BodyFormat.JSON_ITEMS && !keyset ? captured
                    : lastItem == null ? null : pull.paging().from().read(lastItem);
            cursor = ItemEmitter.text(cursorNode);
            // only a full page asks for more; a short last page's key need not be a number
            if (keyset && cursor != null && pull.paging().add() != 0 && items.pageItems() >= pull.paging().size()) {
                cursor = plus(page, cursor, pull.paging().add());
            }
        }
        try {
            URI next = LinkHeader.next(response.headers().allValues("Link"), uri);
            Optional<String> refused = next == null ? Optional.empty() : PageFetcher.refusedStep(uri, next, "Link");
            if (refused.isPresent()) {
                throw failure("page " + page + ": the Link header of " + requests.display(uri) + " names "
                        + requests.display(next) + " as the next page, " + refused.get());
            }
            // without the query auth secret, which the fetcher adds again on the pull's own origin, so
            // a stored resume point never holds it
            return pager.advance(items.pageItems(), cursor, requests.withoutQueryAuth(next));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a repeating cursor, or a Link target that is no URI
            throw failure("page " + page + ": " + e.getMessage());
        }
    }

    /** A keyset value plus {@code paging.add}: since = the last item's createdAt + 1. */
    private String plus(int page, String key, long add) throws PullFailedException {
        try {
            return Long.toString(Math.addExact(Long.parseLong(key), add));
        } catch (NumberFormatException | ArithmeticException e) {
            throw failure("page " + page + ": the last item's key at " + pull.paging().from() + " is '" + key
                    + "', not a whole number that paging.add " + add + " can be added to");
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // what was read was read; the connection is dropped either way
        }
    }

    private PullFailedException failure(String detail) {
        return new PullFailedException(name + ": " + detail);
    }
}
