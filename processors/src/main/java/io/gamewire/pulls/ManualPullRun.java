package io.gamewire.pulls;

import java.time.Duration;
import java.time.Instant;

/**
 * The record of one run started by hand ({@code gamewire pull}, {@code POST /v1/admin/pulls/...}),
 * not the run itself (a {@link PullRun} that {@link PullRunner} executes): its status and progress
 * while it runs, read by whoever polls it, and its result once done. {@link ManualPullRuns} makes
 * and keeps these records. Written by the run's thread, read by the admin API's: the fields are
 * volatile and the counters only grow.
 */
public final class ManualPullRun implements PullProgress {

    /** Where a run is. */
    public enum Status {
        QUEUED, RUNNING, DONE;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final String title;
    private final String pull;
    private final String since;
    private final Instant requestedAt;
    private volatile Status status = Status.QUEUED;
    private volatile long startedNanos;
    private volatile long endedNanos;
    private volatile int pages;
    private volatile long items;
    private volatile long published;
    private volatile PullResult result;

    ManualPullRun(String id, String title, String pull, String since, Instant requestedAt) {
        this.id = id;
        this.title = title;
        this.pull = pull;
        this.since = since;
        this.requestedAt = requestedAt;
    }

    void started() {
        startedNanos = System.nanoTime();
        status = Status.RUNNING;
    }

    void finished(PullResult outcome) {
        endedNanos = System.nanoTime();
        result = outcome;
        status = Status.DONE;
    }

    @Override
    public void page(int page, long itemsSoFar, long publishedSoFar) {
        items = itemsSoFar;
        published = publishedSoFar;
        pages = page;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String pull() {
        return pull;
    }

    /** The backfill's starting watermark, or null for a run from the stored one. */
    public String since() {
        return since;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    public Status status() {
        return status;
    }

    /** Pages whose events were all confirmed so far (the result's count once done). */
    public int pages() {
        PullResult done = result;
        return done != null ? done.pages() : pages;
    }

    public long items() {
        PullResult done = result;
        return done != null ? done.itemsSeen() : items;
    }

    public long published() {
        PullResult done = result;
        return done != null ? done.itemsPublished() : published;
    }

    /** Time since the run started (until it ended); zero while queued. */
    public Duration elapsed() {
        if (status == Status.QUEUED) {
            return Duration.ZERO;
        }
        long end = status == Status.DONE ? endedNanos : System.nanoTime();
        return Duration.ofNanos(end - startedNanos);
    }

    /** The result once {@link Status#DONE}, else null. */
    public PullResult result() {
        return result;
    }
}
