package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestScoreTest {

    /** m = 2, w = 3; four steps a day; steps 0–3 are training, 4–11 (two days) evaluated. */
    private static final HoltWintersParameters PARAMETERS = new HoltWintersParameters(0.1, 0.1, 0.1, 0.1, 2, 2, 3, 2);

    @Test
    void figuresOfAHandMadeRun() {
        double[] series = {10, 20, 10, 20, 11, 19, 10, 20, 50, 50, 10, 20};
        double[] predictions = {Double.NaN, Double.NaN, 10, 20, 10, 20, 10, 20, 10, 20, 10, 20};
        boolean[] flags = {false, false, false, false, true, true, true, false, false, true, true, false};
        List<InjectedAberration> aberrations = List.of(
                new InjectedAberration(InjectedAberration.Kind.OUTAGE, 1, 1),
                new InjectedAberration(InjectedAberration.Kind.SPIKE, 8, 2),
                new InjectedAberration(InjectedAberration.Kind.SPIKE, 11, 1));
        ForecastPoint[] points = new ForecastPoint[series.length];
        for (int t = 0; t < series.length; t++) {
            points[t] = new ForecastPoint(series[t], predictions[t], 2.5, predictions[t] - 5, predictions[t] + 5,
                    false, flags[t]);
        }

        BacktestScore score = BacktestScore.score(series, points, aberrations, 4, PARAMETERS, 4);

        // forecast |errors| at 4…11: 1, 1, 0, 0, 40, 30, 0, 0 = 72
        // seasonal naive |y_t − y_{t−2}|: 1, 1, 1, 1, 40, 30, 40, 30 = 144 → MASE 72 / 144 = 0.5
        assertThat(score.mase()).isCloseTo(0.5, within(1e-12));
        assertThat(score.evaluatedPoints()).isEqualTo(8);
        // upper = ŷ + 5: only 50 > 15 (step 8) and 50 > 25 (step 9) are above → 6 / 8
        assertThat(score.underUpperBand()).isCloseTo(0.75, within(1e-12));
        // the outage at 1 started in training: not scored; the spike at 8 is found by the flag at 9 (within
        // [8, max(10, 8 + 3))); the spike at 11 has no flag at 11 → 1 / 2
        assertThat(score.aberrations()).isEqualTo(2);
        assertThat(score.found()).isEqualTo(1);
        assertThat(score.recall()).isCloseTo(0.5, within(1e-12));
        // flag 4 is within w after the outage ended ([1, 2 + 3)); flags 5, 6 are one false episode; 9, 10
        // are the spike's (excused to 10 + 3) → 1 episode in 2 days
        assertThat(score.falseAlarms()).isEqualTo(1);
        assertThat(score.days()).isEqualTo(2);
        assertThat(score.falseAlarmsPerDay()).isCloseTo(0.5, within(1e-12));
        assertThat(score.meetsTargets()).isFalse();
    }

    @Test
    void missingActualsAreNotScored() {
        double[] series = {10, 20, 10, Double.NaN, 12, 20};
        ForecastPoint[] points = new ForecastPoint[series.length];
        for (int t = 0; t < series.length; t++) {
            points[t] = new ForecastPoint(series[t], t % 2 == 0 ? 10 : 20, 1, 0, t % 2 == 0 ? 11 : 21, false, false);
        }

        BacktestScore score = BacktestScore.score(series, points, List.of(), 2, PARAMETERS, 4);

        // steps 2, 4, 5 have an actual; step 5's y_{t−2} (step 3) is missing → MASE over steps 2 and 4:
        // forecast |0| + |2| = 2; naive |10 − 10| + |12 − 10| = 2 → 1.0
        assertThat(score.evaluatedPoints()).isEqualTo(2);
        assertThat(score.mase()).isCloseTo(1.0, within(1e-12));
        // under the band: 10 ≤ 11, 12 > 11, 20 ≤ 21 → 2 / 3
        assertThat(score.underUpperBand()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(score.recall()).isNaN();
        assertThat(score.falseAlarms()).isZero();
    }
}
