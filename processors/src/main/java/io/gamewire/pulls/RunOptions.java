package io.gamewire.pulls;

/**
 * How one run differs from a scheduled one.
 *
 * @param since    a watermark to start from instead of the stored one (a backfill); null for the
 *                 stored watermark. A backfill sends no If-None-Match / If-Modified-Since, since the
 *                 stored validators belong to the normal request, never moves the stored
 *                 watermark backwards, and neither uses nor moves the point where a normal run
 *                 that stopped at max-pages goes on.
 * @param force    run even while the pull's circuit breaker is open (a manual run); its outcome
 *                 still counts for the breaker
 * @param progress told after each confirmed page
 */
public record RunOptions(String since, boolean force, PullProgress progress) {

    /** A scheduled run: the stored watermark, the breaker respected, no progress listener. */
    public static final RunOptions SCHEDULED = new RunOptions(null, false, PullProgress.NONE);

    public RunOptions {
        progress = progress == null ? PullProgress.NONE : progress;
        since = since == null || since.isEmpty() ? null : since;
    }

    /** A manual run: the breaker does not stop it. */
    public static RunOptions manual(PullProgress progress) {
        return new RunOptions(null, true, progress);
    }

    /** A manual backfill from {@code since}. */
    public static RunOptions backfill(String since, PullProgress progress) {
        return new RunOptions(since, true, progress);
    }
}
