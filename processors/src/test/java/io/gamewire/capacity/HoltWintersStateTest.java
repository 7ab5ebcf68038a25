package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HoltWintersStateTest {

    private static final int M = 24;

    @Test
    void pureSeasonalSignalIsPredictedExactlyFromTheSecondSeason() {
        double[] series = seasonal(10 * M, 0, 0, new Random(1));

        ForecastPoint[] points = HoltWintersState.run(HoltWintersParameters.defaults(M), series);

        for (int t = M; t < series.length; t++) {
            assertThat(points[t].error()).as("error at step %d", t).isCloseTo(0, within(1e-9));
        }
    }

    @Test
    void seasonalSignalWithTrendIsPredictedAlmostExactlyAfterAFewSeasons() {
        double[] series = seasonal(30 * M, 0.5, 0, new Random(1));
        HoltWintersParameters parameters = HoltWintersParameters.defaults(M).withSmoothing(0.3, 0.1, 0.1);

        ForecastPoint[] points = HoltWintersState.run(parameters, series);

        // the first season starts the trend at 0; the errors die away
        double early = Math.abs(points[M + 1].error());
        for (int t = 25 * M; t < series.length; t++) {
            assertThat(Math.abs(points[t].error())).as("error at step %d", t).isLessThan(0.01 * series[t])
                    .isLessThan(early);
        }
    }

    @Test
    void spikeRaisesAnAberrationOnlyAtTheKthPointOutside() {
        double[] series = seasonal(12 * M, 0, 1, new Random(7));
        int spike = quietStep(series, 10 * M);
        for (int t = spike; t < spike + 9; t++) {
            series[t] += 100;
        }

        ForecastPoint[] points = HoltWintersState.run(HoltWintersParameters.defaults(M), series);

        for (int t = spike; t < spike + 9; t++) {
            assertThat(points[t].outside()).as("outside at step %d", t).isTrue();
        }
        // k = 7 of w = 9: the 7th point outside is the first flagged
        for (int t = spike; t < spike + 6; t++) {
            assertThat(points[t].aberration()).as("aberration at step %d", t).isFalse();
        }
        assertThat(points[spike + 6].aberration()).isTrue();
        assertThat(points[spike + 8].aberration()).isTrue();
    }

    @Test
    void missingPointsLeaveTheStateAsItWas() {
        double[] series = seasonal(4 * M, 0.5, 1, new Random(3));
        HoltWintersState state = new HoltWintersState(HoltWintersParameters.defaults(M));
        for (double value : series) {
            state.update(value);
        }
        double level = state.level();
        double trend = state.trend();
        double[] seasonal = new double[M];
        double[] deviation = new double[M];
        for (int s = 0; s < M; s++) {
            seasonal[s] = state.seasonal(s);
            deviation[s] = state.deviation(s);
        }
        double fiveAhead = state.predict(5);

        for (int gap = 0; gap < 4; gap++) {
            ForecastPoint missing = state.update(Double.NaN);
            assertThat(missing.outside()).isFalse();
            assertThat(missing.aberration()).isFalse();
            assertThat(missing.prediction()).isFinite();
        }

        assertThat(state.level()).isEqualTo(level);
        assertThat(state.trend()).isEqualTo(trend);
        for (int s = 0; s < M; s++) {
            assertThat(state.seasonal(s)).isEqualTo(seasonal[s]);
            assertThat(state.deviation(s)).isEqualTo(deviation[s]);
        }
        // the prediction after the gap extrapolates the trend over it
        assertThat(state.predict(1)).isCloseTo(fiveAhead, within(1e-9));
        ForecastPoint after = state.update(series[4 % M]);
        assertThat(after.prediction()).isCloseTo(fiveAhead, within(1e-9));
        assertThat(state.level()).isFinite();
        assertThat(state.trend()).isFinite();
    }

    @Test
    void missingPointsInTheFirstSeasonGetCoefficientZeroAndAnAllMissingSeasonWaits() {
        HoltWintersParameters parameters = HoltWintersParameters.defaults(3);
        HoltWintersState state = new HoltWintersState(parameters);
        state.update(Double.NaN);
        state.update(Double.NaN);
        state.update(Double.NaN);
        assertThat(state.level()).isNaN();

        state.update(4);
        state.update(Double.NaN);
        state.update(8);
        // a = (4 + 8) / 2 = 6; c0 = 4 − 6 = −2, c1 = 0 (missing), c2 = 8 − 6 = 2
        assertThat(state.level()).isEqualTo(6);
        assertThat(state.seasonal(0)).isEqualTo(-2);
        assertThat(state.seasonal(1)).isZero();
        assertThat(state.seasonal(2)).isEqualTo(2);
        assertThat(state.predict(1)).isEqualTo(4);
    }

    @Test
    void predictionsAheadFollowTheTrendAndTheSeason() {
        HoltWintersState state = new HoltWintersState(HoltWintersParameters.defaults(2));
        state.update(10);
        state.update(20);

        // a = 15, b = 0, c0 = −5, c1 = 5: the next steps are slots 0, 1, 0
        assertThat(state.predict(1)).isEqualTo(10);
        assertThat(state.predict(2)).isEqualTo(20);
        assertThat(state.predict(3)).isEqualTo(10);
        assertThat(state.upperBand(1)).isNaN();
    }

    /** The first step from {@code from} whose w − 1 = 8 predecessors were inside the band with the defaults, so
     * that the failure window is empty when a spike starts there. */
    static int quietStep(double[] series, int from) {
        ForecastPoint[] points = HoltWintersState.run(HoltWintersParameters.defaults(M), series);
        int inside = 0;
        for (int t = 0; t < series.length; t++) {
            if (t >= from && inside >= 8) {
                return t;
            }
            inside = points[t].outside() ? 0 : inside + 1;
        }
        throw new AssertionError("no quiet step after " + from);
    }

    /** 100 + 40·sin over the season, plus a trend per step and Gaussian noise. */
    static double[] seasonal(int length, double trendPerStep, double noise, Random random) {
        double[] series = new double[length];
        for (int t = 0; t < length; t++) {
            series[t] = 100 + trendPerStep * t + 40 * Math.sin(2 * Math.PI * t / M) + noise * random.nextGaussian();
        }
        return series;
    }
}
