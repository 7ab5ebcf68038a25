package io.gamewire.pulls;

import java.time.Duration;
import java.time.Instant;

/**
 * What one run of a pull did.
 *
 * @param title             the title
 * @param pull              the pull's name
 * @param outcome           ok, not modified (304 on the first page), failed, or skipped
 * @param pages             pages read whose events were all confirmed
 * @param itemsSeen         items read, duplicates included
 * @param itemsPublished    items published and confirmed by the broker
 * @param itemsDeadLettered items whose payload the command's schema refused, sent to the service's
 *                          dead-letter queue instead (confirmed)
 * @param duplicatesSkipped items not published because their id was published before
 * @param morePages         the run stopped at {@code limits.max-pages} with pages left; the next
 *                          normal run goes on at the next page ({@link PullState#resume()})
 * @param watermark         the stored watermark after the run, null when the pull has none yet
 * @param failure           why the run failed or was skipped; null otherwise
 * @param startedAt         when the run started
 * @param took              how long it took
 */
public record PullResult(String title, String pull, Outcome outcome, int pages, long itemsSeen, long itemsPublished,
                         long itemsDeadLettered, long duplicatesSkipped, boolean morePages, String watermark, String failure,
                         Instant startedAt, Duration took) {

    public enum Outcome {
        OK, NOT_MODIFIED, FAILED, SKIPPED;

        /** The metrics tag value: ok, not_modified, failed, skipped. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean notModified() {
        return outcome == Outcome.NOT_MODIFIED;
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    public boolean skipped() {
        return outcome == Outcome.SKIPPED;
    }

    private String counts() {
        return pages + (pages == 1 ? " page, " : " pages, ") + itemsSeen + (itemsSeen == 1 ? " item (" : " items (")
                + itemsPublished + " published, " + itemsDeadLettered + " dead-lettered, " + duplicatesSkipped
                + " duplicates), watermark "
                + (watermark == null ? "none" : watermark);
    }

    /** One line for the log and the CLI. */
    public String summary() {
        String name = title + "/" + pull;
        return switch (outcome) {
            case SKIPPED -> "pull " + name + " skipped: " + failure;
            case NOT_MODIFIED -> "pull " + name + " not modified (304) in " + took.toMillis() + " ms";
            case OK -> "pull " + name + " ok: " + counts() + (morePages ? ", more pages left for the next run" : "")
                    + " in " + took.toMillis() + " ms";
            case FAILED -> "pull " + name + " failed after " + counts() + ", " + took.toMillis() + " ms: " + failure;
        };
    }
}
