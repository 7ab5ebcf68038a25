package io.gamewire.pulls;

import io.gamewire.sinks.kv.KvStore;
import io.gamewire.titles.model.PullDefinition;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one {@link PullRun} stands in its pull's {@link PullState}: what it takes from the KV store
 * at the start (the watermark, the resume point, the validators) and when it moves them. The
 * watermark moves only after a page's confirms ({@link #pageConfirmed}), so it never runs ahead of
 * what is on the bus; the resume point is set when a normal run stops at {@code limits.max-pages}
 * and cleared once a resumed run reaches the last page or fails; the validators are kept only after
 * a whole successful run.
 *
 * <p>A backfill ({@link RunOptions#since()}) starts from its own watermark, sends no validators, and
 * neither uses nor moves the resume point; it still moves the watermark forward, never back.
 */
final class PullCheckpoint {

    private static final Logger LOG = LoggerFactory.getLogger(PullRunner.class);

    private final String title;
    private final PullDefinition pull;
    private final String name;
    private final RunOptions options;
    private final KvStore kv;
    private final Clock clock;

    private PullState stored = PullState.NONE;
    private String watermark;
    /** This run goes on where the last one stopped at max-pages. */
    private boolean resumed;
    /** The watermark parameter of this run's requests. */
    private String since;
    // validators of the first response, stored when the whole run succeeded
    private String etag = "";
    private String lastModified = "";

    /** This run's time window, epoch millis; both -1 without one. */
    private long windowStart = -1;
    private long windowEnd = -1;

    PullCheckpoint(String title, PullDefinition pull, String name, RunOptions options, KvStore kv, Clock clock) {
        this.title = title;
        this.pull = pull;
        this.name = name;
        this.options = options;
        this.kv = kv;
        this.clock = clock;
    }

    /** Reads the stored state and starts {@code pager} at the resume point, when this run takes one. */
    void load(Pager pager) {
        stored = PullState.load(kv, title, pull.name());
        watermark = stored.watermark();
        resumed = resume(pager);
        PullDefinition.Watermark mark = pull.watermark();
        // a resumed run reads the rest of the last run's result set, so with that run's since
        since = options.since() != null ? options.since() : resumed ? stored.resumeSince()
                : watermark != null ? watermark : mark == null ? null : mark.initial();
        if (pull.window() != null) {
            window(pull.window());
        }
    }

    /**
     * This run's window: a resumed run's own, else from the last window's end less the overlap (at
     * first {@code earliest}, never before it) to now, or to the start plus {@code max}.
     */
    private void window(PullDefinition.Window window) {
        if (resumed && stored.resumeWindow() != null) {
            int slash = stored.resumeWindow().indexOf('/');
            try {
                windowStart = Long.parseLong(stored.resumeWindow().substring(0, slash));
                windowEnd = Long.parseLong(stored.resumeWindow().substring(slash + 1));
                return;
            } catch (RuntimeException e) {
                LOG.warn("Pull {}: the stored resume window '{}' is not <start ms>/<end ms>; a new window instead",
                        name, stored.resumeWindow());
            }
        }
        long earliest = window.earliest().toEpochMilli();
        // a backfill reads from the earliest window on, whatever the stored end
        Long lastEnd = options.since() != null ? null : storedWindowEnd();
        windowStart = lastEnd == null ? earliest : Math.max(earliest, lastEnd - window.overlap().toMillis());
        long now = clock.millis();
        windowEnd = Math.max(windowStart, window.max() == null ? now
                : Math.min(now, windowStart + window.max().toMillis()));
    }

    /** The stored end of the last window, or null when none (or unreadable: logged, and read as none). */
    private Long storedWindowEnd() {
        if (stored.windowEnd() == null) {
            return null;
        }
        try {
            return Long.parseLong(stored.windowEnd());
        } catch (NumberFormatException e) {
            LOG.warn("Pull {}: the stored window end '{}' is not epoch millis; starting at window.earliest", name,
                    stored.windowEnd());
            return null;
        }
    }

    /** The window's two query parameters, as the title file's format says; empty without a window. */
    Map<String, String> windowParams() {
        Map<String, String> params = new LinkedHashMap<>();
        PullDefinition.Window window = pull.window();
        if (window != null && windowStart >= 0) {
            params.put(window.startParam(), format(window.format(), windowStart));
            params.put(window.endParam(), format(window.format(), windowEnd));
        }
        return params;
    }

    private static String format(PullDefinition.WindowFormat format, long millis) {
        return switch (format) {
            case EPOCH_SECONDS -> Long.toString(Math.floorDiv(millis, 1000L));
            case EPOCH_MILLIS -> Long.toString(millis);
            case ISO -> Instant.ofEpochMilli(millis).toString();
        };
    }

    /**
     * Starts {@code pager} where the last normal run stopped at max-pages, when this is a normal run
     * and there is such a point; one that no longer fits the pull's paging (the title file changed
     * it) is dropped. A backfill starts at its own first page and leaves the point as it is.
     */
    private boolean resume(Pager pager) {
        if (options.since() != null || stored.resume() == null) {
            return false;
        }
        try {
            pager.resumeAt(stored.resume());
        } catch (IllegalArgumentException e) {
            LOG.warn("Pull {}: {}; starting from the first page", name, e.getMessage());
            PullState.storeResume(kv, title, pull.name(), null, null);
            return false;
        }
        LOG.info("Pull {}: going on where the last run stopped at limits.max-pages", name);
        return true;
    }

    /** The watermark query parameter every request of this run carries; empty when there is none. */
    Map<String, String> sinceParam() {
        Map<String, String> fixed = new LinkedHashMap<>();
        PullDefinition.Watermark mark = pull.watermark();
        if (mark != null && mark.param() != null && since != null) {
            fixed.put(mark.param(), since);
        }
        return fixed;
    }

    /**
     * If-None-Match / If-Modified-Since for the first request; empty but for a conditional pull's
     * normal run that starts at the first page: the stored validators describe that page's
     * response, not a backfill's, and later pages are other resources.
     */
    Map<String, String> validators() {
        Map<String, String> validators = new LinkedHashMap<>();
        if (conditional()) {
            if (stored.etag() != null) {
                validators.put("If-None-Match", stored.etag());
            }
            if (stored.lastModified() != null) {
                validators.put("If-Modified-Since", stored.lastModified());
            }
        }
        return validators;
    }

    private boolean conditional() {
        return pull.request().conditional() && options.since() == null && !resumed;
    }

    /** Keeps the first response's validators until the run is known to have succeeded. */
    void firstResponse(HttpHeaders headers) {
        etag = headers.firstValue("ETag").orElse("");
        lastModified = headers.firstValue("Last-Modified").orElse("");
    }

    /**
     * After every confirm of a page: stores {@code pageWatermark} when it is later than the stored
     * one. Never backwards, so a backfill or an API that repeats older items leaves it where it is.
     */
    void pageConfirmed(String pageWatermark) {
        PullDefinition.Watermark mark = pull.watermark();
        if (mark != null && pageWatermark != null) {
            String next = Watermarks.max(mark.kind(), watermark, pageWatermark);
            if (!next.equals(watermark)) {
                PullState.storeWatermark(kv, title, pull.name(), next);
                watermark = next;
            }
        }
    }

    /** The last page was read: a resumed run's point is used up. */
    void lastPageRead() {
        if (resumed) {
            PullState.storeResume(kv, title, pull.name(), null, null);
        }
        Long lastEnd = windowEnd < 0 ? null : storedWindowEnd();
        if (windowEnd >= 0 && options.since() == null && (lastEnd == null || windowEnd > lastEnd)) {
            // the next window starts here, less the overlap; never backwards, and not after a backfill
            PullState.storeWindowEnd(kv, title, pull.name(), windowEnd);
        }
    }

    /** Stopped at max-pages with pages left: a normal run's next one goes on at {@code position}. */
    void stoppedAt(String position) {
        if (options.since() == null) {
            PullState.storeResume(kv, title, pull.name(), position, since,
                    windowStart < 0 ? null : windowStart + "/" + windowEnd);
        }
    }

    /**
     * Stores the end of the run: when it started, its failure, and after a success that read the
     * first page anew, that page's validators. A resumed run that failed drops its resume point: the
     * point may be what failed (a cursor the API no longer takes) and would then fail every run.
     *
     * @return the run's failure: {@code failure}, or, when a successful run's state could not be
     *         stored, that
     */
    String storeEnd(Instant startedAt, String failure, boolean notModified) {
        try {
            if (failure == null) {
                boolean keepValidators = conditional() && !notModified;
                PullState.storeRun(kv, title, pull.name(), startedAt, null,
                        keepValidators ? etag : null, keepValidators ? lastModified : null);
            } else {
                PullState.storeRun(kv, title, pull.name(), startedAt, failure, null, null);
                if (resumed) {
                    // the next run starts over; items it reads again are skipped
                    PullState.storeResume(kv, title, pull.name(), null, null);
                    LOG.info("Pull {}: the resumed run failed; the next run starts from the {}", name,
                            pull.watermark() == null ? "first page" : "watermark");
                }
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                return name + ": the run's state could not be stored: " + e;
            }
            LOG.warn("Pull {}: the failed run's state could not be stored: {}", name, e.toString());
        }
        return failure;
    }

    /** The stored watermark as this run left it so far; null when there is none. */
    String watermark() {
        return watermark;
    }

    /** For a failure's message: the watermark did not move past the failed page. */
    String watermarkStays() {
        return pull.watermark() == null ? "" : "; the watermark stays at " + (watermark == null ? "none" : watermark);
    }
}
