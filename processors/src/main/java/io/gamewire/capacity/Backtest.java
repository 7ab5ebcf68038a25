package io.gamewire.capacity;

import java.util.Arrays;

/**
 * The forecast tried on a synthetic trace. On the first {@code trainingDays} only: α, β, γ are fitted
 * ({@link SmoothingFit#fitSkippingAberrations}, the points of flagged windows left out) and δ is calibrated
 * ({@link BandCalibration}: {@value #TRAINING_UNDER_UPPER_TARGET} of the training points under the upper band, a
 * margin over the 95 % the evaluation asks, since a δ chosen on five days of bands is itself noisy).
 * Then the tuned forecast runs over the whole trace from its start and is scored ({@link BacktestScore}) only
 * on the days after the training part, which the tuning did not see.
 *
 * @param trace        the generated trace
 * @param start        the parameters the fit starts from (δ, k, w, m are used as they are)
 * @param fitted       the parameters after the fit and the calibration of δ
 * @param trainingDays the days the fit saw
 * @param points       the fitted forecast of every step
 * @param score        its figures on the days after the training part
 */
public record Backtest(SyntheticTrace trace, HoltWintersParameters start, HoltWintersParameters fitted,
        int trainingDays, ForecastPoint[] points, BacktestScore score) {

    /** The default backtest's training part: the first week. */
    public static final int DEFAULT_TRAINING_DAYS = 7;
    /** The share of the training part's usual points under the upper band that δ is chosen for. */
    public static final double TRAINING_UNDER_UPPER_TARGET = 0.96;

    /** Runs the default backtest: {@link TraceSettings#defaults}, a daily season, a week of training. */
    public static Backtest run(long seed) {
        TraceSettings settings = TraceSettings.defaults(seed);
        return run(SyntheticTrace.generate(settings), HoltWintersParameters.daily(settings.step()),
                DEFAULT_TRAINING_DAYS);
    }

    public static Backtest run(SyntheticTrace trace, HoltWintersParameters start, int trainingDays) {
        int perDay = trace.stepsPerDay();
        int from = trainingDays * perDay;
        if (trainingDays < 1 || from >= trace.rates().length) {
            throw new IllegalArgumentException("trainingDays must be at least 1 and fewer than the trace's "
                    + trace.settings().days() + " days, was " + trainingDays);
        }
        double[] training = Arrays.copyOf(trace.rates(), from);
        HoltWintersParameters smoothing = SmoothingFit.fitSkippingAberrations(start, training).parameters();
        HoltWintersParameters fitted = BandCalibration.calibrate(smoothing, training, TRAINING_UNDER_UPPER_TARGET);
        ForecastPoint[] points = HoltWintersState.run(fitted, trace.rates());
        BacktestScore score = BacktestScore.score(trace.rates(), points, trace.aberrations(), from, fitted, perDay);
        return new Backtest(trace, start, fitted, trainingDays, points, score);
    }
}
