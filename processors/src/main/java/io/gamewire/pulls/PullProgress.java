package io.gamewire.pulls;

/**
 * Told after each page of a run whose events were all confirmed, for a progress line (the CLI's
 * {@code pull run}); the caller computes rates from the counts and its own clock.
 */
@FunctionalInterface
public interface PullProgress {

    PullProgress NONE = (page, itemsSoFar, publishedSoFar) -> { };

    /**
     * @param page           pages done in this run, the first is 1
     * @param itemsSoFar     items read in this run, duplicates included
     * @param publishedSoFar items published and confirmed in this run
     */
    void page(int page, long itemsSoFar, long publishedSoFar);
}
