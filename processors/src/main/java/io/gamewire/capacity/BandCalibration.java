package io.gamewire.capacity;

/**
 * Chooses δ, the band's half-width, on a training series: the smallest of 2, 2.25, 2.5 … {@value #MAX_DELTA}
 * deviations under whose upper band at least the target share of the points with a band falls: the backtest's
 * "under the upper band" ({@link BacktestScore}), measured on the training part, aberrations included. The deviation d is a
 * mean absolute error (for Gaussian noise about 0.8 σ), so RRDtool's δ = 2 is about 1.6 σ: some 94.5 % of
 * the points under the upper band at best, fewer where the per-slot deviation, one sample a season, is noisy.
 */
public final class BandCalibration {

    static final double MAX_DELTA = 4.0;
    private static final double STEP = 0.25;

    private BandCalibration() {
    }

    /** {@code parameters} with the δ chosen on {@code training}; {@link #MAX_DELTA} when none reaches the
     * target. */
    public static HoltWintersParameters calibrate(HoltWintersParameters parameters, double[] training,
            double underUpperTarget) {
        ForecastPoint[] points = HoltWintersState.run(parameters, training);
        for (double delta = HoltWintersParameters.DEFAULT_DELTA; delta < MAX_DELTA; delta += STEP) {
            if (underUpper(points, delta) >= underUpperTarget) {
                return parameters.withDelta(delta);
            }
        }
        return parameters.withDelta(MAX_DELTA);
    }

    private static double underUpper(ForecastPoint[] points, double delta) {
        int banded = 0;
        int under = 0;
        for (ForecastPoint point : points) {
            if (!Double.isNaN(point.actual()) && !Double.isNaN(point.deviation())) {
                banded++;
                if (point.actual() <= point.prediction() + delta * point.deviation()) {
                    under++;
                }
            }
        }
        return banded == 0 ? 1 : (double) under / banded;
    }
}
