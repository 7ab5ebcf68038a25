package io.gamewire.monitor;

import io.gamewire.config.DurationText;
import java.util.Set;

/**
 * How far back {@code GET /v1/admin/stats} looks: from {@value #MIN_SECONDS} s to one hour, written
 * {@code 30s}, {@code 1m}, {@code 15m}, {@code 1h}. Up to {@link TrafficStats#SECOND_SLOTS} seconds
 * (5 min) the figures come from one-second buckets and a window may be any whole number of
 * seconds; beyond that from one-minute buckets, so a window must be whole minutes.
 *
 * @param seconds the window's length
 */
public record StatsWindow(int seconds) {

    public static final int MIN_SECONDS = 10;
    public static final int MAX_SECONDS = 3600;
    /** What a refusal of a window tells the caller to send instead. */
    public static final String ACCEPTED = "a whole number of seconds, minutes or hours such as 30s, 1m, 15m or 1h,"
            + " from 10s to 1h, in whole minutes above 5m";

    private static final Set<DurationText.Unit> UNITS = Set.of(DurationText.Unit.SECONDS, DurationText.Unit.MINUTES,
            DurationText.Unit.HOURS);

    public StatsWindow {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("window of " + seconds + " s is outside " + MIN_SECONDS + " s to "
                    + MAX_SECONDS + " s");
        }
        if (seconds > TrafficStats.SECOND_SLOTS && seconds % 60 != 0) {
            throw new IllegalArgumentException("window of " + seconds + " s is longer than 5 min and so must be whole"
                    + " minutes (figures beyond 5 min are kept per minute)");
        }
    }

    /**
     * @throws IllegalArgumentException naming the text and the accepted form
     */
    public static StatsWindow parse(String text) {
        DurationText length = DurationText.parse(text == null ? null : text.trim(), UNITS)
                .orElseThrow(() -> notAWindow(text));
        try {
            return new StatsWindow(Math.toIntExact(length.duration().toSeconds()));
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw notAWindow(text);
        }
    }

    private static IllegalArgumentException notAWindow(String text) {
        return new IllegalArgumentException("'" + text + "' is not a window: give " + ACCEPTED);
    }

    /** The length of one bucket of the figures for this window: 1 s up to 5 min, else 60 s. */
    public int stepSeconds() {
        return seconds <= TrafficStats.SECOND_SLOTS ? 1 : 60;
    }

    /** How many buckets the window spans. */
    public int steps() {
        return seconds / stepSeconds();
    }

    @Override
    public String toString() {
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
