package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.titles.model.PullDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a pull with an {@code index:}: the request yields the index, whose entries are the
 * pages (archive URLs, or ids put into {@code index.url}); each page is pulled on its own, oldest
 * first, with its own ETag / Last-Modified, and closed once it was read whole and a later page
 * exists, so a closed month is never fetched again while the current one is read until it closes.
 * New entries are new pages; at most {@code limits.max-pages} pages are fetched per run, so a long
 * history is backfilled oldest first over several runs. A page that fails is reported and the
 * others go on; the run then fails naming each.
 *
 * <p>Per page, in the KV store record {@code gw-pull-index:<title>:<pull>}: the page URL →
 * {@code {"etag": …, "lastModified": …, "closed": true|false}}.
 */
final class IndexRun {

    /** The largest index body read. */
    static final int MAX_INDEX_BYTES = 16 << 20;

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final PullRunner.Context context;
    private final PullRequests requests;
    private final PageFetcher fetcher;
    private final ItemEmitter items;
    private final RunOptions options;

    private int pagesDone;
    private boolean morePages;

    IndexRun(String title, PullDefinition pull, String name, PullRunner.Context context, PullRequests requests,
             PageFetcher fetcher, ItemEmitter items, RunOptions options) {
        this.title = title;
        this.pull = pull;
        this.name = name;
        this.context = context;
        this.requests = requests;
        this.fetcher = fetcher;
        this.items = items;
        this.options = options;
    }

    /** The KV record of a pull's index pages. */
    static String key(String title, String pull) {
        return "gw-pull-index:" + title + ":" + pull;
    }

    int pagesDone() {
        return pagesDone;
    }

    boolean morePages() {
        return morePages;
    }

    void run() throws PullFailedException {
        List<URI> pages = pages();
        Map<String, String> states = context.kv().get(key(title, pull.name()));
        int maxPages = pull.limits().maxPages() > 0 ? pull.limits().maxPages() : Integer.MAX_VALUE;
        List<String> failures = new ArrayList<>();
        int fetched = 0;
        for (int i = 0; i < pages.size(); i++) {
            URI page = pages.get(i);
            String stateKey = requests.withoutQueryAuth(page).toString();
            JsonNode state = state(states.get(stateKey));
            if (state.path("closed").asBoolean(false)) {
                continue;
            }
            if (fetched >= maxPages) {
                morePages = true;
                break;
            }
            fetched++;
            boolean last = i == pages.size() - 1;
            try {
                Map<String, String> validators = pull.request().conditional() ? validators(state) : Map.of();
                ObjectNode next = read(i + 1, page, validators);
                next.put("closed", !last);
                context.kv().merge(key(title, pull.name()), Map.of(stateKey, next.toString()));
            } catch (PullFailedException e) {
                failures.add(e.getMessage().startsWith(name + ": ") ? e.getMessage().substring(name.length() + 2)
                        : e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new PullFailedException(name + ": " + failures.size() + " of " + fetched + " index page(s) failed,"
                    + " the others were read: " + String.join("; ", failures));
        }
    }

    /** The index's entries as page URLs, oldest first. */
    private List<URI> pages() throws PullFailedException {
        URI index = requests.uri(Map.of());
        JsonNode root;
        try (PageFetcher.Fetched fetched = fetcher.send(0, index, Map.of())) {
            HttpResponse<InputStream> response = fetched.response();
            try (InputStream body = response.body()) {
                if (response.statusCode() < 200 || response.statusCode() > 299) {
                    throw failure("the index: HTTP " + response.statusCode() + " from " + requests.display(index)
                            + PageFetcher.errorBody(body));
                }
                byte[] bytes = body.readNBytes(MAX_INDEX_BYTES + 1);
                if (bytes.length > MAX_INDEX_BYTES) {
                    throw failure("the index " + requests.display(index) + " is larger than " + MAX_INDEX_BYTES
                            + " bytes");
                }
                root = context.mapper().readTree(bytes);
            } catch (JsonProcessingException e) {
                throw failure("the index " + requests.display(index) + " is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw failure("the index " + requests.display(index) + ": " + PageFetcher.message(e));
            }
        }
        JsonNode entries = root == null ? null : pull.index().items().read(root);
        if (entries == null || !entries.isArray()) {
            throw failure("the index " + requests.display(index) + " has no array at " + pull.index().items());
        }
        List<URI> pages = new ArrayList<>();
        for (JsonNode entry : entries) {
            String text = ItemEmitter.text(entry);
            if (text == null) {
                continue;
            }
            String url = pull.index().url() == null ? text
                    : pull.index().url().replace("{$}", PullRequests.encode(text));
            try {
                pages.add(requests.link(URI.create(url)));
            } catch (IllegalArgumentException e) {
                throw failure("the index entry '" + text + "' makes no URL: " + e.getMessage());
            }
        }
        if (pull.index().newestFirst()) {
            Collections.reverse(pages);
        }
        return pages;
    }

    /** Reads one page whole; returns its validators to keep. */
    private ObjectNode read(int number, URI page, Map<String, String> validators) throws PullFailedException {
        items.startPage(number);
        ObjectNode kept = context.mapper().createObjectNode();
        try (PageFetcher.Fetched fetched = fetcher.send(number, page, validators)) {
            HttpResponse<InputStream> response = fetched.response();
            try (InputStream body = response.body()) {
                int status = response.statusCode();
                if (status == 304 && !validators.isEmpty()) {
                    validators.forEach((header, value) -> kept.put(header.equals("If-None-Match") ? "etag"
                            : "lastModified", value));
                    return kept;
                }
                if (status < 200 || status > 299) {
                    throw failure("page " + number + ": HTTP " + status + " from " + requests.display(page)
                            + PageFetcher.errorBody(body));
                }
                response.headers().firstValue("ETag").ifPresent(etag -> kept.put("etag", etag));
                response.headers().firstValue("Last-Modified").ifPresent(at -> kept.put("lastModified", at));
                if (status != 204) {
                    items.read(response, body, page);
                }
            } catch (IOException e) {
                // closing the body: what was read was read
            }
        }
        items.emitHeld();
        items.awaitConfirms();
        pagesDone++;
        ItemEmitter.Counts counts = items.counts();
        options.progress().page(pagesDone, counts.seen(), counts.published());
        return kept;
    }

    private static Map<String, String> validators(JsonNode state) {
        Map<String, String> validators = new LinkedHashMap<>();
        if (state.hasNonNull("etag")) {
            validators.put("If-None-Match", state.get("etag").asText());
        }
        if (state.hasNonNull("lastModified")) {
            validators.put("If-Modified-Since", state.get("lastModified").asText());
        }
        return validators;
    }

    private JsonNode state(String stored) {
        if (stored == null || stored.isEmpty()) {
            return context.mapper().createObjectNode();
        }
        try {
            return context.mapper().readTree(stored);
        } catch (JsonProcessingException e) {
            return context.mapper().createObjectNode(); // unreadable: read the page again
        }
    }

    private PullFailedException failure(String detail) {
        return new PullFailedException(name + ": " + detail);
    }
}
