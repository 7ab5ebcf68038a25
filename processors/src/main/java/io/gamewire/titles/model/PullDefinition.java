package io.gamewire.titles.model;

import java.time.Duration;
import java.util.Map;

/**
 * A scheduled pull from a publisher's web API, as a title file's {@code pulls:} declares it: what
 * to fetch, how to page through it, where to resume, and how each item becomes an event on the bus.
 * The schema is in {@code docs/titles.md}, "Pulls".
 *
 * @param name        the pull's name, unique in its title ({@code [a-z][a-z0-9-]{0,63}})
 * @param description free text, may be empty
 * @param schedule    when it runs
 * @param request     what is fetched
 * @param paging      how the next page is asked for
 * @param body        how items are read from a response body
 * @param watermark   where the next run resumes, or null when every run fetches from the start
 * @param emit        how an item becomes an event
 * @param limits      bounds of one run
 * @param rate        the request budget of the publisher's host, shared by every pull to it
 * @param window      the time window each run asks for, or null when it asks for none
 * @param follow      the detail fetched per listed item, or null when the list's items are the events
 * @param index       the index whose entries are the pages, or null when {@code request} is the first page
 */
public record PullDefinition(String name, String description, Schedule schedule, Request request, Paging paging,
                             Body body, Watermark watermark, Emit emit, Limits limits, Rate rate, Window window,
                             Follow follow, Index index) {

    /** A pull with the default {@link Rate}, no window, nothing followed and no index. */
    public PullDefinition(String name, String description, Schedule schedule, Request request, Paging paging,
                          Body body, Watermark watermark, Emit emit, Limits limits) {
        this(name, description, schedule, request, paging, body, watermark, emit, limits, Rate.DEFAULT, null, null,
                null);
    }

    /**
     * {@code request} fetches an index whose entries (at {@code items}) are the pages: their URLs,
     * or ids put into {@code url}'s {@code {$}}. Each page is pulled with its own validators, oldest
     * first, and is closed (never fetched again) once it was read whole and a later page exists.
     *
     * @param items       the JSON path of the array of entries in the index
     * @param url         the page URL template for entries that are ids, or null when they are URLs
     * @param newestFirst the index lists the newest page first
     */
    public record Index(JsonPath items, String url, boolean newestFirst) {
    }

    /**
     * A second request per listed item (list, then detail): {@code url} with {@code {$}} (the item
     * itself) or {@code {$.field}} placeholders filled from the item, path-segment encoded, and
     * {@code {env:NAME}} as in the request's URL. The detail (a JSON document) is what is emitted,
     * or, with {@code merge}, the list item's fields with the detail's over them.
     *
     * @param url         the detail URL template
     * @param merge       emit the list item merged with its detail, not the detail alone
     * @param concurrency details fetched at once (the host's {@code rate.concurrent} bounds them too)
     */
    public record Follow(String url, boolean merge, int concurrency) {
    }

    /**
     * A time window sent with every request of a run: from the last window's end less
     * {@code overlap} (at first, and never before, {@code earliest}) to now, or to the start plus
     * {@code max} when that comes first.
     *
     * @param startParam the query parameter of the start
     * @param endParam   the query parameter of the end
     * @param format     how both are written
     * @param overlap    how far a window reaches back into the last one (items at the seam are
     *                   read twice and skipped by the dedupe)
     * @param max        the longest window, or null for none: a long gap is then read over runs
     * @param earliest   the first window's start, and the earliest any starts
     */
    public record Window(String startParam, String endParam, WindowFormat format, Duration overlap, Duration max,
                         java.time.Instant earliest) {
    }

    /** How a window's times are sent. */
    public enum WindowFormat {
        EPOCH_SECONDS, EPOCH_MILLIS, ISO
    }

    /** Exactly one of a Quartz cron expression or a fixed interval. */
    public record Schedule(String cron, Duration every) {

        /** {@code cron <expression>} or {@code every 5m}, the interval in the largest whole unit (d, h, m, s). */
        public String describe() {
            if (cron != null) {
                return "cron " + cron;
            }
            long seconds = every.toSeconds();
            if (seconds % 86_400 == 0) {
                return "every " + seconds / 86_400 + "d";
            }
            if (seconds % 3_600 == 0) {
                return "every " + seconds / 3_600 + "h";
            }
            return seconds % 60 == 0 ? "every " + seconds / 60 + "m" : "every " + seconds + "s";
        }
    }

    /**
     * The request: a URL (query parameters of paging and watermark are added to it), extra headers,
     * authentication, a timeout, and whether to send If-None-Match / If-Modified-Since.
     */
    public record Request(String url, Map<String, String> headers, Auth auth, Duration timeout,
                          boolean conditional) {
    }

    /**
     * How the request is authenticated; the secret always comes from an environment variable.
     *
     * @param kind   none, a bearer token, a header, or a query parameter
     * @param name   the header or query parameter name (null for bearer and none)
     * @param envVar the environment variable holding the secret (null for none)
     */
    public record Auth(AuthKind kind, String name, String envVar) {
        public static final Auth NONE = new Auth(AuthKind.NONE, null, null);
    }

    public enum AuthKind {
        NONE, BEARER, HEADER, QUERY
    }

    /**
     * Paging: none (one page), a cursor read from the body ({@code from}) and sent as {@code param},
     * page numbers or offsets sent as {@code param} with {@code sizeParam = size}, the
     * {@code Link: <…>; rel="next"} header, or keyset paging: the page's last item's {@code from},
     * plus {@code add}, sent as {@code param}, until a page shorter than {@code size}.
     */
    public record Paging(PagingKind kind, String param, JsonPath from, String sizeParam, int size, int first,
                         long add) {
        public static final Paging NONE = new Paging(PagingKind.NONE, null, null, null, 0, 0);

        /** Paging that adds nothing to a keyset value. */
        public Paging(PagingKind kind, String param, JsonPath from, String sizeParam, int size, int first) {
            this(kind, param, from, sizeParam, size, first, 0);
        }
    }

    public enum PagingKind {
        NONE, CURSOR, PAGE, OFFSET, LINK, KEYSET
    }

    /**
     * How items are read: a JSON array, a JSON object with the items at {@code items}, or NDJSON
     * (one item per line, read as it streams).
     */
    public record Body(BodyFormat format, JsonPath items) {
    }

    public enum BodyFormat {
        JSON_ARRAY, JSON_ITEMS, NDJSON
    }

    /**
     * The watermark: the highest {@code from} value of the items stored is sent as {@code param}
     * on the next run ({@code initial} on the first); a timestamp (ISO-8601 or epoch numbers
     * compared as such) or an id (compared as a number when both are numbers, else as text).
     */
    public record Watermark(String param, JsonPath from, WatermarkKind kind, String initial) {
    }

    public enum WatermarkKind {
        TIMESTAMP, ID
    }

    /**
     * How an item becomes an event: published to {@code routingKey} (a command of this title),
     * the payload is the item's value at {@code payload} ({@code $} for the whole item), and
     * {@code id} identifies the item for dedupe.
     */
    public record Emit(String routingKey, JsonPath payload, JsonPath id) {
    }

    /**
     * Bounds of one run and of the dedupe memory.
     *
     * @param maxPages     pages fetched per run at most; the rest waits for the next run
     * @param dedupeSize   item ids remembered per pull
     * @param dedupeTtl    how long an item id is remembered
     * @param maxAttempts  attempts of one request on 429, 503 or a network error
     * @param maxBackoff   longest wait between two attempts (Retry-After is honoured up to it)
     * @param breakerFailures consecutive failed runs that open the circuit breaker
     * @param breakerOpenFor  how long an open breaker skips runs
     * @param maxDocumentBytes the most bytes of one JSON document read (gzip undone): a json-array or
     *                         json-items page, an index, a followed detail, one NDJSON line
     */
    public record Limits(int maxPages, int dedupeSize, Duration dedupeTtl, int maxAttempts, Duration maxBackoff,
                         int breakerFailures, Duration breakerOpenFor, int maxDocumentBytes) {

        /** {@code max-document-bytes} by default: 16 MiB. */
        public static final int DEFAULT_MAX_DOCUMENT_BYTES = 16 << 20;
    }

    /**
     * What a pull may ask of its publisher's host, in this instance. Every pull whose requests go to
     * the same budget (the same scheme, host and port; with {@link RateShare#CREDENTIAL}, also the
     * same credential) shares one, whose figures are the strictest any of them declares.
     *
     * @param concurrent requests in flight at once, from the request until its body is read
     * @param requests   requests per {@code per} at most, or 0 for no such bound
     * @param per        the window of {@code requests}, null with none
     * @param after429   the first wait after a 429 without {@code Retry-After}; it doubles with
     *                   each further 429 of the same request
     * @param share      what one budget is for: a host, or a host and credential
     */
    public record Rate(int concurrent, int requests, Duration per, Duration after429, RateShare share) {

        public static final Rate DEFAULT = new Rate(1, 0, null, Duration.ofSeconds(1), RateShare.HOST);
    }

    /** What a request budget is shared by. */
    public enum RateShare {
        /** every pull to the scheme, host and port */
        HOST,
        /** every pull to the host that authenticates with the same environment variable */
        CREDENTIAL
    }
}
