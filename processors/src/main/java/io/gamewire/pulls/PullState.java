package io.gamewire.pulls;

import io.gamewire.sinks.kv.KvStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a pull keeps between runs, in the KV store under {@code gw-pull:<title>:<pull>}: the
 * watermark (written after each page whose events were all confirmed, so a crash resumes from the
 * last confirmed page), the validators of the last successful run's first response (sent as
 * If-None-Match / If-Modified-Since on the next run's first request), where the next run goes on
 * when the last one stopped at {@code limits.max-pages} with pages left, and when the last run was
 * and how it failed. An empty field reads as absent.
 *
 * @param watermark    highest {@code watermark.from} of the confirmed items, or null
 * @param etag         the ETag of the last successful run's first response, or null
 * @param lastModified its Last-Modified, or null
 * @param resume       the next page of a run that stopped at max-pages ({@link Pager#position()}:
 *                     {@code cursor:<cursor>}, {@code page:<n>}, {@code offset:<n>} or {@code
 *                     link:<url>}), or null when the last run reached the last page
 * @param resumeSince  the watermark parameter that run's requests carried, which the rest of its
 *                     pages need too (an offset counts within one result set), or null for none
 * @param lastRunAt    when the last run started, or null
 * @param lastError    why the last run failed, or null when it did not
 * @param windowEnd    the end of the last time window read to its last page (epoch millis), or null
 * @param resumeWindow the window of a run that stopped at max-pages ({@code <start ms>/<end ms>}),
 *                     which the rest of its pages need too, or null
 */
public record PullState(String watermark, String etag, String lastModified, String resume, String resumeSince,
                        Instant lastRunAt, String lastError, String windowEnd, String resumeWindow) {

    public static final String WATERMARK = "watermark";
    public static final String ETAG = "etag";
    public static final String LAST_MODIFIED = "last-modified";
    public static final String RESUME = "resume";
    public static final String RESUME_SINCE = "resume-since";
    public static final String LAST_RUN_AT = "last-run-at";
    public static final String LAST_ERROR = "last-error";
    public static final String WINDOW_END = "window-end";
    public static final String RESUME_WINDOW = "resume-window";

    public static final PullState NONE = new PullState(null, null, null, null, null, null, null, null, null);

    /** The KV key of a pull's state. */
    public static String key(String title, String pull) {
        return "gw-pull:" + title + ":" + pull;
    }

    /** Reads a pull's state; {@link #NONE} when it never ran. */
    public static PullState load(KvStore kv, String title, String pull) {
        Map<String, String> fields = kv.get(key(title, pull));
        String runAt = present(fields.get(LAST_RUN_AT));
        return new PullState(present(fields.get(WATERMARK)), present(fields.get(ETAG)),
                present(fields.get(LAST_MODIFIED)), present(fields.get(RESUME)), present(fields.get(RESUME_SINCE)),
                runAt == null ? null : Instant.parse(runAt), present(fields.get(LAST_ERROR)),
                present(fields.get(WINDOW_END)), present(fields.get(RESUME_WINDOW)));
    }

    /** Stores the watermark alone: after a page's events were all confirmed. */
    static void storeWatermark(KvStore kv, String title, String pull, String watermark) {
        kv.merge(key(title, pull), Map.of(WATERMARK, watermark));
    }

    /**
     * Stores where the next run goes on ({@code resume} null clears it, and its {@code since} with it):
     * when a run stopped at max-pages, after that page's confirms.
     */
    static void storeResume(KvStore kv, String title, String pull, String resume, String since) {
        storeResume(kv, title, pull, resume, since, null);
    }

    /** As above, with the time window the stopped run read ({@code <start ms>/<end ms>}), or null for none. */
    static void storeResume(KvStore kv, String title, String pull, String resume, String since, String window) {
        kv.merge(key(title, pull), Map.of(RESUME, resume == null ? "" : resume,
                RESUME_SINCE, resume == null || since == null ? "" : since,
                RESUME_WINDOW, resume == null || window == null ? "" : window));
    }

    /** Stores the end of a time window read to its last page: the next window starts there, less the overlap. */
    static void storeWindowEnd(KvStore kv, String title, String pull, long endMillis) {
        kv.merge(key(title, pull), Map.of(WINDOW_END, Long.toString(endMillis)));
    }

    /**
     * Stores the end of a run: when it started, its error ("" after a success), and, when given,
     * the validators (null leaves the stored ones as they are; "" clears one).
     */
    static void storeRun(KvStore kv, String title, String pull, Instant runAt, String error, String etag,
                         String lastModified) {
        Map<String, String> fields = new HashMap<>();
        fields.put(LAST_RUN_AT, runAt.toString());
        fields.put(LAST_ERROR, error == null ? "" : error);
        if (etag != null) {
            fields.put(ETAG, etag);
        }
        if (lastModified != null) {
            fields.put(LAST_MODIFIED, lastModified);
        }
        kv.merge(key(title, pull), fields);
    }

    private static String present(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
