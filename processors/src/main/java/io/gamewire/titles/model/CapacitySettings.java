package io.gamewire.titles.model;

import java.time.Duration;

/**
 * A title's {@code capacity:} block: what the capacity planner may do with its services' consumers
 * and the forecast's parameters. Every field has a default, so a title without the block plans in
 * {@link Mode#RECOMMEND} with the defaults below. The schema is in {@code docs/titles.md}.
 *
 * <p>The forecast defaults are those of {@code io.gamewire.capacity.HoltWintersParameters} (RRDtool's);
 * they are repeated here because title files sit below the forecast in the layers, and
 * {@code CapacitySettingsTest} checks that the two agree.
 *
 * @param mode         off, recommend (log and expose, change nothing) or act
 * @param season       the forecast's season: a day or a week of 1-minute steps
 * @param alpha        level smoothing, (0, 1)
 * @param beta         trend smoothing, (0, 1)
 * @param gamma        seasonal (and deviation) smoothing, (0, 1)
 * @param delta        the band's half-width in deviations, &gt; 0
 * @param threshold    k: points outside the band for an aberration, 1 to {@code window}
 * @param window       w: the failure window, 1 to {@value #MAX_WINDOW} points
 * @param lead         how far ahead the consumer count is set
 * @param coolDown     how long after the last needing forecast came to pass consumers are kept
 * @param consumerRate messages a second one consumer sustains, until one is measured
 */
public record CapacitySettings(Mode mode, Season season, double alpha, double beta, double gamma, double delta,
                               int threshold, int window, Duration lead, Duration coolDown, double consumerRate) {

    public static final double DEFAULT_ALPHA = 0.1;
    public static final double DEFAULT_BETA = 0.0035;
    public static final double DEFAULT_GAMMA = 0.1;
    public static final double DEFAULT_DELTA = 2.0;
    public static final int DEFAULT_THRESHOLD = 7;
    public static final int DEFAULT_WINDOW = 9;
    public static final int MAX_WINDOW = 28;
    public static final Duration DEFAULT_LEAD = Duration.ofMinutes(5);
    public static final Duration DEFAULT_COOL_DOWN = Duration.ofMinutes(15);
    /** Messages a second one consumer is assumed to sustain before the planner has measured it. */
    public static final double DEFAULT_CONSUMER_RATE = 100;

    /** The settings of a title without a {@code capacity:} block. */
    public static final CapacitySettings DEFAULTS = new CapacitySettings(Mode.RECOMMEND, Season.DAY, DEFAULT_ALPHA,
            DEFAULT_BETA, DEFAULT_GAMMA, DEFAULT_DELTA, DEFAULT_THRESHOLD, DEFAULT_WINDOW, DEFAULT_LEAD,
            DEFAULT_COOL_DOWN, DEFAULT_CONSUMER_RATE);

    /** What the planner may do. */
    public enum Mode { OFF, RECOMMEND, ACT }

    /** The forecast's season. */
    public enum Season {
        DAY(Duration.ofDays(1)), WEEK(Duration.ofDays(7));

        private final Duration length;

        Season(Duration length) {
            this.length = length;
        }

        public Duration length() {
            return length;
        }
    }
}
