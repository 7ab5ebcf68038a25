package io.gamewire.capacity.archive;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The usage archives: one round-robin database (rrd4j) per series, a series being a service
 * ({@code title.env.service}, its message rate and its consumer count) or a declared command
 * ({@code title.env.service.command}, its message rate). Fixed size and consolidated: a sample
 * every {@link #STEP}, kept as AVERAGE and MAX at each {@link Resolution}.
 */
public interface UsageArchive extends AutoCloseable {

    /** One sample every 10 s. */
    Duration STEP = Duration.ofSeconds(10);

    /**
     * Stores one sample per series at {@code epochSecond} (a multiple of {@link #STEP}); a series
     * seen for the first time gets its database. A time not after a series' last update is
     * skipped for that series.
     */
    void update(long epochSecond, Map<String, UsageSample> samples) throws IOException;

    /**
     * The consolidated values of a series between two times (epoch seconds), at a resolution:
     * rows the archive has no data for are {@code NaN}.
     *
     * @throws java.util.NoSuchElementException when the series has no database
     */
    UsageSeries fetch(String series, Resolution resolution, Consolidation consolidation, long startEpochSecond,
            long endEpochSecond) throws IOException;

    /** The series that have a database. */
    Set<String> series() throws IOException;

    /** The time (epoch seconds) of a series' last update, or 0 when it has no database. */
    long lastUpdate(String series) throws IOException;

    @Override
    void close() throws IOException;

    /** How an archive consolidates the samples of a row. */
    enum Consolidation { AVERAGE, MAX }

    /** The archives each series keeps, for AVERAGE and for MAX. */
    enum Resolution {
        /** 10 s rows for one day. */
        TEN_SECONDS(10, 8_640),
        /** 1 min rows for 14 days. */
        ONE_MINUTE(60, 20_160),
        /** 1 h rows for two years. */
        ONE_HOUR(3_600, 17_520);

        private final int seconds;
        private final int rows;

        Resolution(int seconds, int rows) {
            this.seconds = seconds;
            this.rows = rows;
        }

        public int seconds() {
            return seconds;
        }

        public int rows() {
            return rows;
        }

        /** The samples of {@link #STEP} one row consolidates. */
        public int steps() {
            return Math.toIntExact(seconds / STEP.toSeconds());
        }
    }
}
