package io.gamewire.capacity;

/**
 * The forecast tried on a synthetic trace: α, β, γ fitted ({@link SmoothingFit}) on the first
 * {@code trainingDays}, then the fitted forecast run over the whole trace from its start, and scored
 * ({@link BacktestScore}) only on the days after the training part, which the fit did not see.
 *
 * @param trace        the generated trace
 * @param start        the parameters the fit starts from (δ, k, w, m are used as they are)
 * @param fitted       the parameters after the fit
 * @param trainingDays the days the fit saw
 * @param points       the fitted forecast of every step
 * @param score        its figures on the days after the training part
 */
public record Backtest(SyntheticTrace trace, HoltWintersParameters start, HoltWintersParameters fitted,
        int trainingDays, ForecastPoint[] points, BacktestScore score) {

    /** The default backtest's training part: the first week. */
    public static final int DEFAULT_TRAINING_DAYS = 7;

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
        double[] training = java.util.Arrays.copyOf(trace.rates(), from);
        HoltWintersParameters fitted = SmoothingFit.fit(start, training).parameters();
        ForecastPoint[] points = HoltWintersState.run(fitted, trace.rates());
        BacktestScore score = BacktestScore.score(trace.rates(), points, trace.aberrations(), from, fitted, perDay);
        return new Backtest(trace, start, fitted, trainingDays, points, score);
    }
}
