package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gamewire.bus.PublishOrder;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.PullDefinition;
import io.gamewire.titles.model.PullDefinition.BodyFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits the items of one {@link PullRun}'s pages: reads a page's body with the pull's
 * {@link PageReader}, skips the ids the dedupe has seen, publishes each new item as
 * the title file's {@code emit} says, one after another in the run's {@link PublishOrder} (so the
 * broker receives them in the order read), and hands each publish to {@link PendingConfirms}. The
 * page's highest {@code watermark.from} is collected here, but stored by {@link PullCheckpoint}
 * only once {@link #awaitConfirms()} has seen every confirm of the page.
 *
 * <p>An NDJSON line is published as it comes (each line stands alone); the items of a JSON document
 * (json-array, json-items) are held until the document parsed to its end, since a document that
 * breaks off cannot be trusted in part, and so are a followed page's (their details wait for the
 * page's place in flight on the host).
 *
 * <p>An item whose payload the command's schema refuses would be refused on every re-fetch, so it
 * must not fail the page: it is dead-lettered instead (confirmed like a publish), and the run, the
 * dedupe and the watermark go past it.
 */
final class ItemEmitter {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);

    /** Items published but not yet confirmed, at most; then reading waits for their confirms. */
    static final int MAX_IN_FLIGHT = 1000;
    /** Items of one JSON document page held before publishing, at most. */
    static final int MAX_HELD_ITEMS = 100_000;

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final PullRunner.Context context;
    private final PageReader reader;
    private final PullRequests requests;
    private final PullCheckpoint checkpoint;
    private final PendingConfirms confirms;
    private final PublishOrder order;
    /** The detail of each item ({@code follow:}), or null when the list's items are the events. */
    private final DetailFetcher details;
    private final ArrayDeque<Following> following = new ArrayDeque<>();
    /** The first detail of the page that failed for a reason that may pass, or null; and the items not followed since. */
    private String passingFailure;
    private long notFollowed;

    private long seen;
    private long duplicates;

    // the page being read
    private int page;
    private long pageItems;
    private String pageWatermark;
    /** The current JSON document's items, read whole, not yet published. */
    private final List<Held> held = new ArrayList<>();
    /** The watermark value of the page's last item that had one, and whether they rose so far. */
    private String lastWatermark;
    private boolean pageAscending;
    private JsonNode lastItem;

    /** The counts of a run so far; {@link #NONE} for a run that failed before its first page. */
    record Counts(long seen, long published, long deadLettered, long duplicates) {

        static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    /**
     * @param requests   shows a page's URL in messages without the auth secret
     * @param checkpoint says in a failure's message where the watermark stays
     * @param order      the run's publish order: every item is published in it, in the order read
     * @param details      fetches each item's detail ({@code follow:}); null when there is none
     */
    ItemEmitter(String title, PullDefinition pull, String name, PullRunner.Context context, PullDedupe dedupe,
                PageReader reader, PullRequests requests, PullCheckpoint checkpoint, PublishOrder order,
                DetailFetcher details) {
        this.title = title;
        this.pull = pull;
        this.name = name;
        this.context = context;
        this.reader = reader;
        this.requests = requests;
        this.checkpoint = checkpoint;
        this.confirms = new PendingConfirms(name, dedupe, checkpoint);
        this.order = order;
        this.details = details;
    }

    /** Forgets the last page's items: called before each response, read or not. */
    void startPage(int number) {
        page = number;
        pageItems = 0;
        pageWatermark = null;
        held.clear();
        // nothing of a failed page's following carries over to the next (an index goes on after one)
        following.clear();
        passingFailure = null;
        notFollowed = 0;
        lastWatermark = null;
        pageAscending = true;
        lastItem = null;
    }

    /**
     * Checks the content type and emits the body's items; a malformed body fails the run after the
     * confirms of what was sent, so a re-fetch skips those items.
     *
     * @return what the reader captured outside the items (json-items' {@code paging.from}), or null
     */
    JsonNode read(HttpResponse<InputStream> response, InputStream body, URI uri) throws PullFailedException {
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        String media = PageReader.mediaType(contentType);
        if (!reader.accepts(media)) {
            throw failure("page " + page + ": " + requests.display(uri) + " answered with "
                    + (contentType == null ? "no Content-Type" : "content type '" + contentType + "'")
                    + "; body.format " + format() + " needs " + reader.expectedContentType());
        }
        Optional<String> charset = PublisherBody.charsetRefusal(contentType);
        if (charset.isPresent()) {
            throw failure("page " + page + ": " + requests.display(uri) + " " + charset.get());
        }
        StalledBodyGuard guard = new StalledBodyGuard(body, bodyTimeout(), context.watchdog());
        try {
            InputStream items;
            try {
                // an NDJSON body streams through, bounded per line by its reader; a JSON document is held whole
                items = PublisherBody.open(response, guard, pull.body().format() == BodyFormat.NDJSON ? 0
                        : pull.limits().maxDocumentBytes());
            } catch (IOException e) {
                throw new PageFormatException("the gzip header could not be read: " + PageFetcher.message(e), e);
            }
            if (streams()) {
                return reader.read(items, this::item);
            }
            // one JSON document: nothing of it goes out unless all of it parsed; emitHeld publishes
            // it once the caller has given the host its place in flight back
            return reader.read(items, (item, index, line) -> hold(item, index, line, uri));
        } catch (PageFormatException e) {
            boolean allConfirmed = settle();
            throw new PullFailedException(name + ": page " + page + " (" + requests.display(uri) + "): "
                    + e.getMessage() + afterBreak(allConfirmed), e);
        } catch (PullFailedException e) {
            settle();
            throw e;
        } finally {
            guard.stop();
        }
    }

    /** An item of a JSON document, held until the whole document parsed. */
    private record Held(JsonNode item, long index, long line) {
    }

    /**
     * Whether items are published as they are read: NDJSON lines stand alone; a JSON document is
     * held until it parsed whole; and a followed page is held until its body is read, so that its
     * details, on the same host, do not wait for the page's place in flight (one by default).
     */
    private boolean streams() {
        return pull.body().format() == BodyFormat.NDJSON && details == null;
    }

    /** Publishes the items of the JSON document read last, in order; nothing for NDJSON, whose lines went out as read. */
    void emitHeld() throws PullFailedException {
        List<Held> items = new ArrayList<>(held);
        held.clear();
        try {
            for (Held item : items) {
                item(item.item(), item.index(), item.line());
            }
        } catch (PullFailedException e) {
            // what was sent before the failure is confirmed and remembered, so it is not sent again
            settle();
            throw e;
        }
    }

    private void hold(JsonNode item, long index, long line, URI uri) throws PullFailedException {
        if (held.size() >= MAX_HELD_ITEMS) {
            throw failure("page " + page + " (" + requests.display(uri) + ") holds more than " + MAX_HELD_ITEMS
                    + " items; " + (details == null ? "a JSON document is held whole before any of it is published, so"
                    + " page it (paging) or use body.format ndjson" : "a followed page is held whole before it is"
                    + " followed, so page it (paging)"));
        }
        held.add(new Held(item, index, line));
    }

    /**
     * What became of a page that broke off: a JSON document published nothing; an NDJSON body
     * published its whole lines before the break, and the watermark moves to the last of them when
     * the page's values rose line by line (a page in another order may hold unread items below it).
     */
    private String afterBreak(boolean allConfirmed) throws PullFailedException {
        if (!streams()) {
            return "; nothing of the page was published (" + (details == null
                    ? "a JSON document is published only once it parsed whole)"
                    : "a followed page is held whole and followed once its body is read)")
                    + checkpoint.watermarkStays();
        }
        String published = "; the " + pageItems + " whole line(s) before the break were read";
        if (allConfirmed && pull.watermark() != null && pageAscending && lastWatermark != null) {
            checkpoint.pageConfirmed(lastWatermark);
            return published + ", and the watermark moves to " + checkpoint.watermark()
                    + ", the last of them";
        }
        return published + checkpoint.watermarkStays();
    }

    private Duration bodyTimeout() {
        return bodyTimeout(pull);
    }

    /** How long a body may send nothing: the request's timeout, else a minute. */
    static Duration bodyTimeout(PullDefinition pull) {
        Duration timeout = pull.request().timeout();
        return timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofMinutes(1) : timeout;
    }

    /** One item of the current page: dedupe, publish, remember its watermark. */
    private void item(JsonNode item, long index, long line) throws PullFailedException {
        seen++;
        pageItems++;
        lastItem = item;
        PullDefinition.Emit emit = pull.emit();
        String id = text(emit.id() == null ? null : emit.id().read(item));
        if (id == null) {
            throw failure(at(index, line) + " has no id at " + emit.id());
        }
        PullDefinition.Watermark mark = pull.watermark();
        if (mark != null && mark.from() != null) {
            String value = text(mark.from().read(item));
            if (value != null) {
                // duplicates count too: they were confirmed before
                pageWatermark = Watermarks.max(mark.kind(), pageWatermark, value);
                pageAscending &= lastWatermark == null
                        || Watermarks.max(mark.kind(), lastWatermark, value).equals(value);
                lastWatermark = value;
            }
        }
        if (confirms.sentBefore(id)) {
            duplicates++;
            return;
        }
        if (details != null) {
            follow(item, id, index, line);
            return;
        }
        emit(item, id, index, line);
    }

    /** Publishes {@code source} (the item, or its detail) as the item's event; its confirm is awaited later. */
    private void emit(JsonNode source, String id, long index, long line) throws PullFailedException {
        PulledItem pulled = new PulledItem(title, pull.name(), pull.emit().routingKey(),
                payload(source, id, index, line), id);
        if (confirms.add(publish(pulled, index, line)) >= MAX_IN_FLIGHT) {
            confirms.awaitAll();
        }
    }

    /** An item waiting for its detail; published in list order once the detail is in. */
    private record Following(JsonNode item, String id, long index, long line, CompletableFuture<JsonNode> detail) {
    }

    /**
     * Starts fetching the item's detail; publishes the oldest waiting item once follow.concurrency
     * wait. After a detail failed for a reason that may pass (the host busy, the attempts spent),
     * the rest of the page is not followed: the run fails at the page's end, and the next run
     * lists the page again.
     */
    private void follow(JsonNode item, String id, long index, long line) throws PullFailedException {
        if (passingFailure != null) {
            notFollowed++;
            return;
        }
        CompletableFuture<JsonNode> detail;
        try {
            detail = details.fetch(page, details.uri(item));
        } catch (DetailFetcher.DetailException e) {
            // reported in the list's order, as a failed fetch would be
            detail = CompletableFuture.failedFuture(e);
        }
        following.add(new Following(item, id, index, line, detail));
        if (following.size() >= pull.follow().concurrency()) {
            emitNextFollowed();
        }
    }

    private void emitNextFollowed() throws PullFailedException {
        Following next = following.poll();
        JsonNode detail;
        try {
            detail = next.detail().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("page " + page + ": interrupted while waiting for the detail of "
                    + PageReader.position(next.index(), next.line()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DetailFetcher.DetailException failed) {
                detailFailed(next, failed);
                return;
            }
            throw new IllegalStateException("the detail of " + PageReader.position(next.index(), next.line())
                    + " failed unexpectedly", e.getCause());
        }
        JsonNode source = detail;
        if (pull.follow().merge() && next.item().isObject() && detail.isObject()) {
            ObjectNode merged = ((ObjectNode) next.item()).deepCopy();
            merged.setAll((ObjectNode) detail);
            source = merged;
        }
        JsonPath path = pull.emit().payload();
        if (!isWhole(path) && path.read(source) == null) {
            detailFailed(next, new DetailFetcher.DetailException("its detail has nothing at " + path + " (emit.payload)",
                    true));
            return;
        }
        emit(source, next.id(), next.index(), next.line());
    }

    /** Every item still waiting for its detail, published in order (or dead-lettered, or left for the next run). */
    private void emitFollowed() throws PullFailedException {
        while (!following.isEmpty()) {
            emitNextFollowed();
        }
    }

    /**
     * A detail that will never be had (a 4xx, not JSON, nothing for a placeholder) would fail every
     * run, as a payload the schema refuses would: the listed item is dead-lettered with the reason
     * and the run goes past it. Any other failure is left for the next run.
     */
    private void detailFailed(Following item, DetailFetcher.DetailException e) throws PullFailedException {
        String where = PageReader.position(item.index(), item.line()) + " (id " + item.id() + ")";
        if (!e.permanent()) {
            if (passingFailure == null) {
                passingFailure = where + ": " + e.getMessage();
            }
            return;
        }
        String why = "its detail cannot be had: " + e.getMessage();
        byte[] listed;
        try {
            listed = context.mapper().writeValueAsBytes(item.item());
        } catch (JsonProcessingException json) {
            throw failure("page " + page + ": " + where + " could not be written as JSON: " + json.getOriginalMessage());
        }
        PulledItem pulled = new PulledItem(title, pull.name(), pull.emit().routingKey(), listed, item.id());
        confirms.add(new PendingConfirms.Pending(page, item.id(), item.index(), item.line(),
                deadLetter(pulled, "pull " + name + ", page " + page + ", " + where + ": " + why), why));
    }

    /**
     * After a failure mid-page: what was read is published (details in), and what was sent is
     * confirmed or not.
     *
     * @return whether all of it went out and was confirmed
     */
    private boolean settle() {
        boolean allOut = true;
        try {
            emitFollowed();
        } catch (PullFailedException | RuntimeException e) {
            allOut = false;
        }
        following.clear();
        boolean confirmed = confirms.settle();
        boolean noneLeft = passingFailure == null;
        passingFailure = null;
        notFollowed = 0;
        return allOut && confirmed && noneLeft;
    }

    /** What {@code emit.payload} picks of the item, as JSON. */
    private byte[] payload(JsonNode item, String id, long index, long line) throws PullFailedException {
        JsonPath path = pull.emit().payload();
        JsonNode payload = isWhole(path) ? item : path.read(item);
        if (payload == null) {
            throw failure(at(index, line) + " (id " + id + ") has nothing at " + path);
        }
        try {
            return context.mapper().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw failure(at(index, line) + " could not be written as JSON: " + e.getOriginalMessage());
        }
    }

    /** Sends the item, or dead-letters it when its payload is refused; its confirm is awaited later. */
    private PendingConfirms.Pending publish(PulledItem pulled, long index, long line) {
        String refusal = null;
        CompletableFuture<Void> confirm;
        try {
            confirm = sent(context.publisher().publish(pulled, order));
        } catch (ItemRefusedException e) {
            refusal = e.getMessage();
            confirm = deadLetter(pulled, "pull " + name + ", page " + page + ", " + PageReader.position(index, line)
                    + " (id " + pulled.id() + "): " + refusal);
        } catch (RuntimeException e) {
            confirm = CompletableFuture.failedFuture(e);
        }
        return new PendingConfirms.Pending(page, pulled.id(), index, line, confirm, refusal);
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

    /**
     * Publishes the items still waiting for their details, then waits for the confirms of what was
     * sent; fails on the first publish the broker refused, or, once the others are confirmed, when
     * a detail could not be had (the page's watermark then stays, so the next run tries it again).
     */
    void awaitConfirms() throws PullFailedException {
        try {
            emitFollowed();
        } catch (PullFailedException e) {
            settle();
            throw e;
        }
        confirms.awaitAll();
        if (passingFailure != null) {
            String failed = passingFailure;
            long skipped = notFollowed;
            passingFailure = null;
            notFollowed = 0;
            throw failure("page " + page + ": the detail of " + failed + (skipped == 0 ? ""
                    : "; the page's " + skipped + " later item(s) were not followed") + "; the items before it were"
                    + " published, the next run lists the page again" + checkpoint.watermarkStays());
        }
    }

    /** Items of the current page, duplicates included: the pager's end-of-pages test counts them. */
    long pageItems() {
        return pageItems;
    }

    /** The highest {@code watermark.from} of the current page, duplicates included; null for none. */
    String pageWatermark() {
        return pageWatermark;
    }

    /** The current page's last item, where a cursor in the items is read; null for none. */
    JsonNode lastItem() {
        return lastItem;
    }

    Counts counts() {
        return new Counts(seen, confirms.published(), confirms.deadLettered(), duplicates);
    }

    private String format() {
        return pull.body().format().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
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

    /** "page 2: item at index 7", for messages. */
    private String at(long index, long line) {
        return "page " + page + ": " + PageReader.position(index, line);
    }

    private PullFailedException failure(String detail) {
        return new PullFailedException(name + ": " + detail);
    }
}
