package io.gamewire.pulls;

import io.gamewire.titles.model.PullDefinition.Paging;
import io.gamewire.titles.model.PullDefinition.PagingKind;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where one run is in its paging: which query parameters the next request carries (a cursor, a
 * page number or an offset with the page size), or which URL it goes to (LINK), and whether there
 * is a next page at all.
 *
 * <p>The last page: cursor paging ends on a page without a cursor (missing, null or "") or
 * without items; keyset paging on a page shorter than the page size (the next asks for what follows
 * its last item's key); page and offset paging on a page with fewer items than the page size (or none);
 * link paging on a response without a rel="next" link; no paging after the first page.
 *
 * <p>A run that stops at {@code limits.max-pages} keeps {@link #position()}, and the next run
 * starts there ({@link #resumeAt}) instead of at the first page. The position names the paging type
 * it belongs to, so one stored before the title file changed the pull's paging is refused rather
 * than read as something else.
 */
final class Pager {

    private final Paging paging;
    private long number;
    private String cursor;
    private URI link;
    /** The page of this run that each cursor, key or link was asked with: a cycle would never end. */
    private final Map<String, Integer> askedWith = new HashMap<>();
    /** The page of this run the next request asks for, from 1. */
    private int page = 1;

    Pager(Paging paging) {
        this.paging = paging == null ? Paging.NONE : paging;
        this.number = this.paging.first();
    }

    /** The paging parameters of the next request (none for the first cursor page and for LINK). */
    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        switch (paging.kind()) {
            case CURSOR -> {
                if (cursor != null) {
                    params.put(paging.param(), cursor);
                }
            }
            case KEYSET -> {
                // the first page: the watermark's value, when it shares the parameter, or nothing
                if (cursor != null) {
                    params.put(paging.param(), cursor);
                }
                if (paging.sizeParam() != null) {
                    params.put(paging.sizeParam(), Integer.toString(paging.size()));
                }
            }
            case PAGE, OFFSET -> {
                params.put(paging.param(), Long.toString(number));
                if (paging.sizeParam() != null && paging.size() > 0) {
                    params.put(paging.sizeParam(), Integer.toString(paging.size()));
                }
            }
            default -> {
                // NONE and LINK add nothing
            }
        }
        return params;
    }

    /**
     * Where the next request goes, as text to store: {@code cursor:<cursor>}, {@code page:<n>},
     * {@code offset:<n>} or {@code link:<url>}; null before the first page or without paging.
     */
    String position() {
        return switch (paging.kind()) {
            case NONE -> null;
            case CURSOR, KEYSET -> cursor == null ? null : type() + ":" + cursor;
            case PAGE, OFFSET -> type() + ":" + number;
            case LINK -> link == null ? null : type() + ":" + link;
        };
    }

    /**
     * Starts at a stored {@link #position()} instead of the first page.
     *
     * @throws IllegalArgumentException naming the position when it is not one of this paging type
     */
    void resumeAt(String position) {
        String prefix = type() + ":";
        if (paging.kind() == PagingKind.NONE || !position.startsWith(prefix)) {
            throw new IllegalArgumentException("the stored resume point '" + position + "' is not one of paging by "
                    + type());
        }
        String value = position.substring(prefix.length());
        askedWith.put(value, page);
        switch (paging.kind()) {
            case CURSOR, KEYSET -> cursor = value;
            case LINK -> link = URI.create(value);
            default -> {
                try {
                    number = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the stored resume point '" + position + "' holds no "
                            + type() + " number", e);
                }
            }
        }
    }

    /** The paging type as the title file writes it. */
    private String type() {
        return paging.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The URL of the next request when the previous response's Link header named it, else null. */
    URI link() {
        return link;
    }

    /**
     * Moves past a page.
     *
     * @param items      items the page had
     * @param nextCursor the cursor the page carried, or null
     * @param nextLink   the page's rel="next" link, or null
     * @return whether there is a next page
     * @throws IllegalStateException when a cursor, key or link repeats within the run: the API would
     *                               serve the same page, or the same pages in a cycle, forever
     */
    boolean advance(long items, String nextCursor, URI nextLink) {
        boolean more = next(items, nextCursor, nextLink);
        if (more) {
            page++;
        }
        return more;
    }

    private boolean next(long items, String nextCursor, URI nextLink) {
        return switch (paging.kind()) {
            case NONE -> false;
            case CURSOR -> {
                if (items == 0 || nextCursor == null || nextCursor.isEmpty()) {
                    yield false;
                }
                if (Objects.equals(nextCursor, cursor)) {
                    throw new IllegalStateException("the page carried the same cursor as the one before ('"
                            + nextCursor + "'); the API would serve this page forever");
                }
                notAskedBefore("cursor", nextCursor);
                cursor = nextCursor;
                yield true;
            }
            case KEYSET -> {
                if (items == 0 || items < paging.size()) {
                    yield false;
                }
                if (nextCursor == null || nextCursor.isEmpty()) {
                    throw new IllegalStateException("the page's last item has no key at " + paging.from()
                            + " to ask for the next page with");
                }
                if (Objects.equals(nextCursor, cursor)) {
                    throw new IllegalStateException("the page's last item has the key the page was asked for ('"
                            + nextCursor + "'); a full page of one key would be served forever (add paging.add, or"
                            + " a larger size)");
                }
                notAskedBefore("key", nextCursor);
                cursor = nextCursor;
                yield true;
            }
            case PAGE, OFFSET -> {
                if (items == 0 || (paging.size() > 0 && items < paging.size())) {
                    yield false;
                }
                number += paging.kind() == PagingKind.PAGE ? 1 : items;
                yield true;
            }
            case LINK -> {
                if (nextLink != null) {
                    // the first page's own URL is not a link: a cycle back to it is caught one page later
                    notAskedBefore("next link", nextLink.toString());
                }
                link = nextLink;
                yield nextLink != null;
            }
        };
    }

    /**
     * Records that the next page is asked with {@code next}.
     *
     * @throws IllegalStateException when an earlier page of this run was asked with it: the API's
     *                               pages form a cycle (A → B → A), which would never end
     */
    private void notAskedBefore(String what, String next) {
        Integer earlier = askedWith.putIfAbsent(next, page + 1);
        if (earlier != null) {
            throw new IllegalStateException("the page carried the " + what + " '" + next + "', which page " + earlier
                    + " of this run was asked with already; the API's pages form a cycle that would never end");
        }
    }
}
