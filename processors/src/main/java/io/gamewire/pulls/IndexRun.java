package io.gamewire.pulls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.titles.model.EnvPlaceholders;
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
        List<Page> pages = pages();
        Map<String, String> states = context.kv().get(key(title, pull.name()));
        int maxPages = pull.limits().maxPages() > 0 ? pull.limits().maxPages() : Integer.MAX_VALUE;
        List<String> failures = new ArrayList<>();
        int fetched = 0;
        // the current page: the last entry that makes a page
        int current = pages.size() - 1;
        while (current >= 0 && pages.get(current).problem() != null) {
            current--;
        }
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).problem() != null) {
                failures.add("page " + (i + 1) + ": " + pages.get(i).problem());
                continue;
            }
            URI page = pages.get(i).uri();
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
            boolean last = i == current;
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
            throw new PullFailedException(name + ": " + failures.size() + " index page(s) failed, the others"
                    + " were read: " + String.join("; ", failures));
        }
    }

    /** A page of the index: its URL, or why its entry makes none (reported as that page's failure). */
    private record Page(URI uri, String problem) {
    }

    /**
     * The index's entries as pages, oldest first, each page once (at its last place). An entry is
     * an absolute URL on the index's own scheme, host and port, or a path relative to the index, or,
     * with {@code index.url}, an id put into it: the index's data never sends the pull's
     * credentials to another host.
     */
    private List<Page> pages() throws PullFailedException {
        URI index = requests.uri(Map.of());
        JsonNode root = readIndex(index);
        JsonNode entries = root == null ? null : pull.index().items().read(root);
        if (entries == null || !entries.isArray()) {
            throw failure("the index " + requests.display(index) + " has no array at " + pull.index().items());
        }
        String template = template();
        LinkedHashMap<String, Page> pages = new LinkedHashMap<>();
        List<JsonNode> ordered = new ArrayList<>();
        entries.forEach(ordered::add);
        if (pull.index().newestFirst()) {
            Collections.reverse(ordered);
        }
        for (JsonNode entry : ordered) {
            String text = ItemEmitter.text(entry);
            if (text == null) {
                continue;
            }
            Page page = page(index, template, text);
            String key = page.uri() == null ? text : requests.withoutQueryAuth(page.uri()).toString();
            pages.remove(key); // a repeated entry counts at its last place
            pages.put(key, page);
        }
        return new ArrayList<>(pages.values());
    }

    private Page page(URI index, String template, String entry) {
        try {
            URI uri = template != null ? URI.create(template.replace("{$}", PullRequests.encode(entry)))
                    : index.resolve(entry);
            if (template == null && !HostBudgets.origin(index).equals(HostBudgets.origin(uri))) {
                return new Page(null, "the index entry '" + entry + "' is not on " + HostBudgets.origin(index)
                        + ": the pull's credentials go only to the index's own host");
            }
            return new Page(requests.link(uri), null);
        } catch (IllegalArgumentException e) {
            return new Page(null, "the index entry '" + entry + "' makes no URL: " + e.getMessage());
        }
    }

    /** {@code index.url} with its {@code {env:NAME}} placeholders resolved; null without one. */
    private String template() throws PullFailedException {
        if (pull.index().url() == null) {
            return null;
        }
        try {
            return EnvPlaceholders.resolve(pull.index().url(), context.environment(), value -> { });
        } catch (EnvPlaceholders.MissingVariableException e) {
            throw failure("environment variable " + e.variable() + " is not set; index.url needs it");
        }
    }


    /**
     * The index, one JSON document in UTF-8 of {@code limits.max-document-bytes} at most (gzip undone, a
     * stalled body given up after the request's timeout).
     */
    private JsonNode readIndex(URI index) throws PullFailedException {
        try (PageFetcher.Fetched fetched = fetcher.send(0, index, Map.of("Accept", "application/json"))) {
            HttpResponse<InputStream> response = fetched.response();
            InputStream body = response.body();
            StalledBodyGuard guard = new StalledBodyGuard(body, ItemEmitter.bodyTimeout(pull), context.watchdog());
            try (guard) {
                if (response.statusCode() < 200 || response.statusCode() > 299) {
                    throw failure("the index: HTTP " + response.statusCode() + " from " + requests.display(index)
                            + PageFetcher.errorBody(body));
                }
                String refused = PublisherBody.charsetRefusal(response.headers().firstValue("Content-Type")
                        .orElse(null)).orElse(null);
                if (refused != null) {
                    throw failure("the index " + requests.display(index) + " " + refused);
                }
                byte[] bytes = PublisherBody.open(response, guard, pull.limits().maxDocumentBytes()).readAllBytes();
                return context.mapper().readTree(bytes);
            } catch (JsonProcessingException e) {
                throw failure("the index " + requests.display(index) + " is not JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw failure("the index " + requests.display(index) + ": " + PageFetcher.message(e));
            } finally {
                guard.stop();
            }
        }
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
