package io.gamewire.capacity;

import java.util.Arrays;

import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Fits α, β and γ to a series: Nelder–Mead (commons-math3) minimising the sum of squared one-step-ahead
 * errors of {@link HoltWintersState#run}. The simplex moves in logit space, so that every point it tries maps
 * into (0, 1) (clamped to [{@value #EDGE}, 1 − {@value #EDGE}], where the logistic would round to 0 or 1);
 * it starts from the given parameters. The deviation's gamma, δ, k, w and m are kept: they do not change the
 * predictions.
 */
public final class SmoothingFit {

    static final double EDGE = 1e-6;
    private static final int MAX_EVALUATIONS = 2000;

    private SmoothingFit() {
    }

    /**
     * @param series at least two seasons, since the first has no predictions
     * @throws IllegalArgumentException when the series is too short to have an error
     */
    public static FittedSmoothing fit(HoltWintersParameters start, double[] series) {
        if (series.length <= start.seasonLength()) {
            throw new IllegalArgumentException("series of " + series.length + " points is too short to fit: the"
                    + " first season (" + start.seasonLength() + " points) has no predictions");
        }
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-9, 1e-12);
        PointValuePair best = optimizer.optimize(
                new MaxEval(MAX_EVALUATIONS),
                new ObjectiveFunction(point -> sumOfSquaredErrors(toParameters(start, point), series)),
                GoalType.MINIMIZE,
                new InitialGuess(new double[] {logit(start.alpha()), logit(start.beta()), logit(start.gamma())}),
                new NelderMeadSimplex(new double[] {1, 1, 1}));
        return new FittedSmoothing(toParameters(start, best.getPoint()), best.getValue(),
                sumOfSquaredErrors(start, series), optimizer.getEvaluations());
    }

    /**
     * Fits as {@link #fit}, but on {@code series} with the points of every aberration that {@code start}'s
     * forecast flags set missing: for each flagged step, the w steps of its failure window. A fit on the raw
     * series lets spikes and outages dominate the squared errors, and the α that follows them fastest is the
     * α that hides them from the FAILURES window; no labels are needed, so this works on an archive.
     */
    public static FittedSmoothing fitSkippingAberrations(HoltWintersParameters start, double[] series) {
        return fit(start, withoutAberrations(start, series));
    }

    /** {@code series} with the points of every failure window that raised an aberration under
     * {@code parameters} set to NaN. */
    public static double[] withoutAberrations(HoltWintersParameters parameters, double[] series) {
        double[] cleaned = series.clone();
        ForecastPoint[] points = HoltWintersState.run(parameters, series);
        for (int t = 0; t < points.length; t++) {
            if (points[t].aberration()) {
                Arrays.fill(cleaned, Math.max(0, t - parameters.window() + 1), t + 1, Double.NaN);
            }
        }
        return cleaned;
    }

    /** The sum of squared one-step-ahead errors over the points that have one. */
    public static double sumOfSquaredErrors(HoltWintersParameters parameters, double[] series) {
        double sum = 0;
        for (ForecastPoint point : HoltWintersState.run(parameters, series)) {
            if (point.hasError()) {
                sum += point.error() * point.error();
            }
        }
        return sum;
    }

    private static HoltWintersParameters toParameters(HoltWintersParameters start, double[] point) {
        return start.withSmoothing(logistic(point[0]), logistic(point[1]), logistic(point[2]));
    }

    static double logistic(double x) {
        return Math.min(1 - EDGE, Math.max(EDGE, 1 / (1 + Math.exp(-x))));
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /**
     * @param parameters       the start's parameters with the fitted α, β, γ
     * @param sumOfSquares     their sum of squared one-step-ahead errors
     * @param startSumOfSquares the start's, for comparison
     * @param evaluations      how many times the forecast ran
     */
    public record FittedSmoothing(HoltWintersParameters parameters, double sumOfSquares, double startSumOfSquares,
            int evaluations) {
    }
}
