package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SmoothingFitTest {

    @Test
    void fitFindsSensibleParametersThatBeatTheDefaults() {
        TraceSettings clean = new TraceSettings(11, TraceSettings.defaults(11).step(), 7, 100, 0.4, 0.2, 0.01, 0.05,
                0, 0, 2, 8, 24, 1.8);
        double[] series = SyntheticTrace.generate(clean).rates();
        HoltWintersParameters defaults = HoltWintersParameters.daily(clean.step());

        SmoothingFit.FittedSmoothing fit = SmoothingFit.fit(defaults, series);

        HoltWintersParameters fitted = fit.parameters();
        System.out.println("capacity fit: " + fitted + ", sum of squares " + fit.sumOfSquares() + " (defaults "
                + fit.startSumOfSquares() + "), " + fit.evaluations() + " runs");
        assertThat(fit.sumOfSquares()).isLessThan(fit.startSumOfSquares());
        assertThat(fit.sumOfSquares()).isEqualTo(SmoothingFit.sumOfSquaredErrors(fitted, series));
        // the level drifts with the week: some smoothing, not following the noise
        assertThat(fitted.alpha()).isBetween(0.02, 0.4);
        // the trend is steady: barely updated
        assertThat(fitted.beta()).isLessThan(0.05);
        assertThat(fitted.gamma()).isBetween(0.05, 0.8);
        assertThat(fitted.delta()).isEqualTo(defaults.delta());
        assertThat(fitted.seasonLength()).isEqualTo(defaults.seasonLength());
    }

    @Test
    void fitRecoversTheParametersOfASeriesTheModelGenerated() {
        // the model run backwards: with e_t Gaussian, y_t = a + b + c[s] + e_t, then the updates of
        // HoltWintersState reduce to a' = a + b + αe, b' = b + βαe, c[s]' = c[s] + γ(1 − α)e
        double alpha = 0.3;
        double beta = 0.05;
        double gamma = 0.2;
        int m = 12;
        Random random = new Random(5);
        double level = 100;
        double trend = 0.1;
        double[] seasonal = new double[m];
        for (int s = 0; s < m; s++) {
            seasonal[s] = 20 * Math.sin(2 * Math.PI * s / m);
        }
        double[] series = new double[200 * m];
        for (int t = 0; t < series.length; t++) {
            int s = t % m;
            double e = random.nextGaussian();
            series[t] = level + trend + seasonal[s] + e;
            level = level + trend + alpha * e;
            trend = trend + beta * alpha * e;
            seasonal[s] = seasonal[s] + gamma * (1 - alpha) * e;
        }

        HoltWintersParameters fitted = SmoothingFit.fit(HoltWintersParameters.defaults(m), series).parameters();

        System.out.println("capacity fit of a generated series (0.3, 0.05, 0.2): " + fitted);
        assertThat(fitted.alpha()).isCloseTo(alpha, within(0.05));
        assertThat(fitted.beta()).isCloseTo(beta, within(0.05));
        assertThat(fitted.gamma()).isCloseTo(gamma, within(0.08));
    }

    @Test
    void fitRefusesASeriesWithoutPredictions() {
        assertThatThrownBy(
                () -> SmoothingFit.fit(HoltWintersParameters.defaults(4), new double[] {1, 2, 3, 4}))
                .hasMessageContaining("too short");
    }

    @Test
    void flaggedWindowsAreLeftOutOfTheFit() {
        int m = 24;
        double[] series = HoltWintersStateTest.seasonal(12 * m, 0, 1, new Random(7));
        int spike = HoltWintersStateTest.quietStep(series, 10 * m);
        for (int t = spike; t < spike + 9; t++) {
            series[t] += 100;
        }

        double[] cleaned = SmoothingFit.withoutAberrations(HoltWintersParameters.defaults(m), series);

        // flags at spike + 6 … spike + 8, each leaving out its window of 9
        for (int t = spike - 2; t <= spike + 8; t++) {
            assertThat(cleaned[t]).as("step %d", t).isNaN();
        }
        assertThat(cleaned[spike - 3]).isEqualTo(series[spike - 3]);
        // elsewhere (the spike's end also upsets the forecast for a while) exactly the flagged windows are left out
        ForecastPoint[] points = HoltWintersState.run(HoltWintersParameters.defaults(m), series);
        for (int t = 0; t < series.length; t++) {
            boolean inFlaggedWindow = false;
            for (int s = t; s < Math.min(series.length, t + 9); s++) {
                inFlaggedWindow |= points[s].aberration();
            }
            assertThat(Double.isNaN(cleaned[t])).as("step %d left out", t).isEqualTo(inFlaggedWindow);
        }
    }
}
