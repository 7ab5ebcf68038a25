package io.gamewire.capacity;

import java.time.Duration;

/**
 * The parameters of the additive Holt-Winters forecast, with RRDtool's names and usual values
 * ({@code RRA:HWPREDICT:rows:alpha:beta:period}, {@code RRA:FAILURES:rows:threshold:window}; see
 * {@code man rrdcreate}). The forecast ({@link HoltWintersState}) keeps a level, a trend, one seasonal
 * coefficient and one deviation per slot of the season.
 *
 * @param alpha        how fast the level follows the data, in (0, 1)
 * @param beta         how fast the trend follows the level's changes, in (0, 1)
 * @param gamma        how fast a slot's seasonal coefficient follows the data, in (0, 1)
 * @param deviationGamma how fast a slot's deviation follows the absolute errors, in (0, 1) (RRDtool's
 *                     {@code gamma-deviation}, the DEVSEASONAL archive's own gamma, equal to gamma unless set:
 *                     a smaller one keeps a band steadier and less widened by an aberration a season ago)
 * @param delta        the confidence band's half-width in deviations (RRDtool's {@code delta_pos} and
 *                     {@code delta_neg}, both 2 by default), positive
 * @param threshold    k: how many points of the failure window must fall outside the band for an
 *                     aberration (RRDtool's FAILURES threshold), 1 to {@code window}
 * @param window       w: how many of the latest points the failure window holds, 1 to {@value #MAX_WINDOW}
 * @param seasonLength m: the season in steps (one day of the step by default, a week optional), at least 2
 */
public record HoltWintersParameters(double alpha, double beta, double gamma, double deviationGamma, double delta,
        int threshold, int window, int seasonLength) {

    /** RRDtool's example value ({@code HWPREDICT:1440:0.1:0.0035:288}). */
    public static final double DEFAULT_ALPHA = 0.1;
    /** RRDtool's example value: the trend changes slowly. */
    public static final double DEFAULT_BETA = 0.0035;
    /** RRDtool's default for SEASONAL and DEVSEASONAL. */
    public static final double DEFAULT_GAMMA = 0.1;
    /** RRDtool's default {@code delta_pos} and {@code delta_neg}. */
    public static final double DEFAULT_DELTA = 2.0;
    /** RRDtool's default FAILURES threshold: 7 ... */
    public static final int DEFAULT_THRESHOLD = 7;
    /** ... of the 9 latest points. */
    public static final int DEFAULT_WINDOW = 9;
    /** RRDtool's limit on the FAILURES window. */
    public static final int MAX_WINDOW = 28;

    public HoltWintersParameters {
        requireOpenUnit(alpha, "alpha");
        requireOpenUnit(beta, "beta");
        requireOpenUnit(gamma, "gamma");
        requireOpenUnit(deviationGamma, "deviationGamma");
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("delta must be a positive number of deviations, was " + delta);
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window (w) must be 1 to " + MAX_WINDOW + " points, was " + window);
        }
        if (threshold < 1 || threshold > window) {
            throw new IllegalArgumentException("threshold (k) must be 1 to the window (w = " + window + "), was "
                    + threshold);
        }
        if (seasonLength < 2) {
            throw new IllegalArgumentException("seasonLength (m) must be at least 2 steps, was " + seasonLength);
        }
    }

    /** The defaults with a season of {@code seasonLength} steps. */
    public static HoltWintersParameters defaults(int seasonLength) {
        return new HoltWintersParameters(DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA, DEFAULT_GAMMA, DEFAULT_DELTA,
                DEFAULT_THRESHOLD, DEFAULT_WINDOW, seasonLength);
    }

    /** The defaults with a season of one day of {@code step}. */
    public static HoltWintersParameters daily(Duration step) {
        return defaults(stepsIn(Duration.ofDays(1), step));
    }

    /** The defaults with a season of one week of {@code step}. */
    public static HoltWintersParameters weekly(Duration step) {
        return defaults(stepsIn(Duration.ofDays(7), step));
    }

    /** These parameters with other smoothing constants for the prediction, as a fit finds them (the deviation's
     * gamma is kept: it does not change the predictions). */
    public HoltWintersParameters withSmoothing(double alpha, double beta, double gamma) {
        return new HoltWintersParameters(alpha, beta, gamma, deviationGamma, delta, threshold, window, seasonLength);
    }

    /** These parameters with another band half-width. */
    public HoltWintersParameters withDelta(double delta) {
        return new HoltWintersParameters(alpha, beta, gamma, deviationGamma, delta, threshold, window, seasonLength);
    }

    static int stepsIn(Duration season, Duration step) {
        if (step.isNegative() || step.isZero() || season.toMillis() % step.toMillis() != 0) {
            throw new IllegalArgumentException("step " + step + " must be positive and divide the season " + season);
        }
        return Math.toIntExact(season.toMillis() / step.toMillis());
    }

    private static void requireOpenUnit(double value, String name) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), was " + value);
        }
    }
}
