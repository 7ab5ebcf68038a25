package io.gamewire.capacity;

import java.util.Arrays;

/**
 * Additive Holt-Winters with RRDtool's aberrant-behaviour detection (HWPREDICT, SEASONAL, DEVSEASONAL,
 * DEVPREDICT, FAILURES), fed one point per step, so that a live sampler can keep it; {@link #run} runs it
 * over a whole series. Not thread-safe: one feeder.
 *
 * <p>For a step t with slot s = t mod m, the level a, trend b, seasonal coefficients c and deviations d:
 * <pre>
 *   ŷ_t = a + n·b + c[s]                              prediction; n = steps since the last known point (1 without gaps)
 *   band = ŷ_t ± δ·d[s]                               d[s] is still d_{t−m}
 *   a'  = α(y_t − c[s]) + (1−α)(a + n·b)              level
 *   b'  = β((a' − a)/n) + (1−β)b                      trend, per step
 *   c[s] = γ(y_t − a') + (1−γ)c[s]                    seasonal
 *   d[s] = γd|y_t − ŷ_t| + (1−γd)d[s]                 deviation (γd: RRDtool's gamma-deviation)
 *   aberration = at least k of the latest w points outside their band
 * </pre>
 *
 * <p><b>First season (t = 0 … m−1).</b> No prediction: the points are kept. At its last step the level is
 * the mean of the season's known points, the trend 0, and each slot's seasonal coefficient its point minus
 * that mean (0 for a slot whose point was missing). If every point of the season was missing, the next
 * season is the first. RRDtool ({@code rrd_hw.c}) starts the level at the season's first value and each
 * coefficient at its point minus that value, so one noisy first point shifts every coefficient; the mean does
 * not. RRDtool's smoothing window over neighbouring slots ({@code smoothing-window}) is not done here.
 *
 * <p><b>Second season.</b> Predictions, and the level, trend and seasonal updates, but no deviation yet, so no
 * band and no aberration. At its last step every slot's deviation starts at the mean absolute error of the
 * season's known points (one error per slot would make a band that a small gamma-deviation takes weeks to
 * forget); from the third season on the band exists and each slot's deviation is smoothed on its own. If no
 * point of the second season was known, the next season's errors start the deviations.
 *
 * <p><b>Missing points (NaN).</b> As RRDtool skips updates on unknown values: nothing is updated, the step
 * still passes (its slot is not touched), the point counts as inside the band in the failure window, and
 * the next prediction extrapolates the trend over the gap (n > 1), as RRDtool's null count does.
 *
 * <p>A series predicted exactly (no noise at all) has deviations of 0 and so a band of no width, where the
 * rounding of doubles counts as outside, as it does in RRDtool; measured rates always have noise.
 */
public final class HoltWintersState {

    private final HoltWintersParameters parameters;
    private final int m;
    private final double[] seasonal;
    private final double[] deviation;
    private final FailureWindow failures;
    private double level = Double.NaN;
    private double trend = Double.NaN;
    private long step;
    private int stepsSinceKnown = 1;
    private boolean deviationsPending = true;
    private double secondSeasonErrors;
    private int secondSeasonCount;

    public HoltWintersState(HoltWintersParameters parameters) {
        this.parameters = parameters;
        this.m = parameters.seasonLength();
        this.seasonal = new double[m];
        this.deviation = new double[m];
        Arrays.fill(seasonal, Double.NaN);
        Arrays.fill(deviation, Double.NaN);
        this.failures = new FailureWindow(parameters.window());
    }

    /** Runs a fresh forecast over {@code series}, one point per step. */
    public static ForecastPoint[] run(HoltWintersParameters parameters, double[] series) {
        HoltWintersState state = new HoltWintersState(parameters);
        ForecastPoint[] points = new ForecastPoint[series.length];
        for (int t = 0; t < series.length; t++) {
            points[t] = state.update(series[t]);
        }
        return points;
    }

    /** Feeds the next step's value (NaN when missing) and returns what the forecast said of it. */
    public ForecastPoint update(double actual) {
        int slot = (int) (step % m);
        step++;
        if (!initialized()) {
            return warmUp(slot, actual);
        }
        double prediction = level + stepsSinceKnown * trend + seasonal[slot];
        double previousDeviation = deviation[slot];
        double lower = prediction - parameters.delta() * previousDeviation;
        double upper = prediction + parameters.delta() * previousDeviation;
        boolean outside = actual > upper || actual < lower;
        boolean aberration = failures.add(outside) >= parameters.threshold();
        if (!Double.isNaN(actual)) {
            learn(slot, actual, prediction);
        } else {
            stepsSinceKnown++;
        }
        startDeviations(slot);
        return new ForecastPoint(actual, prediction, previousDeviation, lower, upper, outside, aberration);
    }

    /** The forecast {@code stepsAhead} steps after the latest point (1 = the next step); NaN before the
     * second season. */
    public double predict(int stepsAhead) {
        if (stepsAhead < 1) {
            throw new IllegalArgumentException("stepsAhead must be at least 1, was " + stepsAhead);
        }
        if (!initialized()) {
            return Double.NaN;
        }
        int slot = (int) ((step + stepsAhead - 1) % m);
        return level + (stepsSinceKnown - 1 + stepsAhead) * trend + seasonal[slot];
    }

    /** The band's upper edge {@code stepsAhead} steps after the latest point; NaN while that slot has no
     * deviation. */
    public double upperBand(int stepsAhead) {
        int slot = (int) ((step + stepsAhead - 1) % m);
        return predict(stepsAhead) + parameters.delta() * deviation[slot];
    }

    public double level() {
        return level;
    }

    public double trend() {
        return trend;
    }

    /** The seasonal coefficient of {@code slot} (0 … m−1), NaN during the first season. */
    public double seasonal(int slot) {
        return seasonal[slot];
    }

    /** The deviation of {@code slot} (0 … m−1), NaN until the end of the second season. */
    public double deviation(int slot) {
        return deviation[slot];
    }

    public HoltWintersParameters parameters() {
        return parameters;
    }

    private boolean initialized() {
        return !Double.isNaN(level);
    }

    private ForecastPoint warmUp(int slot, double actual) {
        // the first season's points wait in the seasonal array until the season is complete
        seasonal[slot] = actual;
        failures.add(false);
        if (slot == m - 1) {
            double sum = 0;
            int known = 0;
            for (double value : seasonal) {
                if (!Double.isNaN(value)) {
                    sum += value;
                    known++;
                }
            }
            if (known > 0) {
                level = sum / known;
                trend = 0;
                stepsSinceKnown = 1;
                for (int s = 0; s < m; s++) {
                    seasonal[s] = Double.isNaN(seasonal[s]) ? 0 : seasonal[s] - level;
                }
            }
        }
        return new ForecastPoint(actual, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false, false);
    }

    private void learn(int slot, double actual, double prediction) {
        double alpha = parameters.alpha();
        double beta = parameters.beta();
        double gamma = parameters.gamma();
        double newLevel = alpha * (actual - seasonal[slot]) + (1 - alpha) * (level + stepsSinceKnown * trend);
        trend = beta * ((newLevel - level) / stepsSinceKnown) + (1 - beta) * trend;
        level = newLevel;
        seasonal[slot] = gamma * (actual - level) + (1 - gamma) * seasonal[slot];
        double error = Math.abs(actual - prediction);
        if (deviationsPending) {
            secondSeasonErrors += error;
            secondSeasonCount++;
        } else {
            double deviationGamma = parameters.deviationGamma();
            deviation[slot] = deviationGamma * error + (1 - deviationGamma) * deviation[slot];
        }
        stepsSinceKnown = 1;
    }

    private void startDeviations(int slot) {
        if (deviationsPending && slot == m - 1 && secondSeasonCount > 0) {
            Arrays.fill(deviation, secondSeasonErrors / secondSeasonCount);
            deviationsPending = false;
        }
    }
}
