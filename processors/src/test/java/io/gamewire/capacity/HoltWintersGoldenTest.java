package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Golden values worked out by hand (halves keep the arithmetic exact in binary): season m = 2, α = β = γ = γd = ½,
 * δ = 2, k = 2 of w = 3, series 10, 20, 13, 21, 14, 30, (missing), 44.
 */
class HoltWintersGoldenTest {

    private static final HoltWintersParameters HALVES = new HoltWintersParameters(0.5, 0.5, 0.5, 0.5, 2, 2, 3, 2);
    private static final double[] SERIES = {10, 20, 13, 21, 14, 30, Double.NaN, 44};
    private static final double EXACT = 1e-12;

    @Test
    void firstSeasonStartsLevelAtItsMeanAndCoefficientsAtTheDifferences() {
        HoltWintersState state = new HoltWintersState(HALVES);
        ForecastPoint first = state.update(10);
        ForecastPoint second = state.update(20);

        // a = (10 + 20) / 2 = 15; b = 0; c0 = 10 − 15 = −5; c1 = 20 − 15 = 5; no prediction yet
        assertThat(first.prediction()).isNaN();
        assertThat(second.prediction()).isNaN();
        assertThat(state.level()).isEqualTo(15);
        assertThat(state.trend()).isZero();
        assertThat(state.seasonal(0)).isEqualTo(-5);
        assertThat(state.seasonal(1)).isEqualTo(5);
        assertThat(state.deviation(0)).isNaN();
    }

    @Test
    void secondSeasonPredictsWithoutBandAndStartsEveryDeviationAtItsMeanAbsoluteError() {
        HoltWintersState state = feed(4);

        // t2 (slot 0): ŷ = 15 + 0 + (−5) = 10, y = 13
        //   a = ½(13 − (−5)) + ½(15 + 0) = 9 + 7.5 = 16.5
        //   b = ½(16.5 − 15) + ½·0 = 0.75
        //   c0 = ½(13 − 16.5) + ½(−5) = −1.75 − 2.5 = −4.25
        //   |e| = |13 − 10| = 3
        // t3 (slot 1): ŷ = 16.5 + 0.75 + 5 = 22.25, y = 21
        //   a = ½(21 − 5) + ½(16.5 + 0.75) = 8 + 8.625 = 16.625
        //   b = ½(16.625 − 16.5) + ½·0.75 = 0.0625 + 0.375 = 0.4375
        //   c1 = ½(21 − 16.625) + ½·5 = 2.1875 + 2.5 = 4.6875
        //   |e| = |21 − 22.25| = 1.25
        // end of the second season: d0 = d1 = (3 + 1.25) / 2 = 2.125
        assertThat(state.level()).isCloseTo(16.625, within(EXACT));
        assertThat(state.trend()).isCloseTo(0.4375, within(EXACT));
        assertThat(state.seasonal(0)).isCloseTo(-4.25, within(EXACT));
        assertThat(state.seasonal(1)).isCloseTo(4.6875, within(EXACT));
        assertThat(state.deviation(0)).isCloseTo(2.125, within(EXACT));
        assertThat(state.deviation(1)).isCloseTo(2.125, within(EXACT));

        ForecastPoint[] points = HoltWintersState.run(HALVES, SERIES);
        assertThat(points[2].prediction()).isCloseTo(10, within(EXACT));
        assertThat(points[3].prediction()).isCloseTo(22.25, within(EXACT));
        assertThat(points[2].upper()).isNaN();
        assertThat(points[3].upper()).isNaN();
        assertThat(points[3].outside()).isFalse();
    }

    @Test
    void thirdSeasonHasTheBandAndSmoothsTheDeviations() {
        ForecastPoint[] points = HoltWintersState.run(HALVES, SERIES);
        HoltWintersState state = feed(6);

        // t4 (slot 0): ŷ = 16.625 + 0.4375 + (−4.25) = 12.8125; band ± 2·2.125 = 4.25 → [8.5625, 17.0625];
        //   y = 14 inside
        //   a = ½(14 + 4.25) + ½(16.625 + 0.4375) = 9.125 + 8.53125 = 17.65625
        //   b = ½(17.65625 − 16.625) + ½·0.4375 = 0.515625 + 0.21875 = 0.734375
        //   c0 = ½(14 − 17.65625) + ½(−4.25) = −1.828125 − 2.125 = −3.953125
        //   d0 = ½|14 − 12.8125| + ½·2.125 = 0.59375 + 1.0625 = 1.65625
        assertThat(points[4].prediction()).isCloseTo(12.8125, within(EXACT));
        assertThat(points[4].deviation()).isCloseTo(2.125, within(EXACT));
        assertThat(points[4].lower()).isCloseTo(8.5625, within(EXACT));
        assertThat(points[4].upper()).isCloseTo(17.0625, within(EXACT));
        assertThat(points[4].outside()).isFalse();
        // t5 (slot 1): ŷ = 17.65625 + 0.734375 + 4.6875 = 23.078125; band ± 4.25 → [18.828125, 27.328125];
        //   y = 30 outside; 1 of the last 3 outside < k = 2: no aberration
        //   a = ½(30 − 4.6875) + ½(17.65625 + 0.734375) = 12.65625 + 9.1953125 = 21.8515625
        //   b = ½(21.8515625 − 17.65625) + ½·0.734375 = 2.09765625 + 0.3671875 = 2.46484375
        //   c1 = ½(30 − 21.8515625) + ½·4.6875 = 4.07421875 + 2.34375 = 6.41796875
        //   d1 = ½|30 − 23.078125| + ½·2.125 = 3.4609375 + 1.0625 = 4.5234375
        assertThat(points[5].prediction()).isCloseTo(23.078125, within(EXACT));
        assertThat(points[5].lower()).isCloseTo(18.828125, within(EXACT));
        assertThat(points[5].upper()).isCloseTo(27.328125, within(EXACT));
        assertThat(points[5].outside()).isTrue();
        assertThat(points[5].aberration()).isFalse();
        assertThat(state.level()).isCloseTo(21.8515625, within(EXACT));
        assertThat(state.trend()).isCloseTo(2.46484375, within(EXACT));
        assertThat(state.seasonal(0)).isCloseTo(-3.953125, within(EXACT));
        assertThat(state.seasonal(1)).isCloseTo(6.41796875, within(EXACT));
        assertThat(state.deviation(0)).isCloseTo(1.65625, within(EXACT));
        assertThat(state.deviation(1)).isCloseTo(4.5234375, within(EXACT));
    }

    @Test
    void missingPointChangesNothingAndTheNextPredictionSpansTheGap() {
        ForecastPoint[] points = HoltWintersState.run(HALVES, SERIES);
        HoltWintersState state = feed(7);

        // t6 (slot 0) missing: ŷ = 21.8515625 + 2.46484375 + (−3.953125) = 20.36328125,
        //   band ± 2·1.65625 = 3.3125 → [17.05078125, 23.67578125]; not outside; nothing updated
        assertThat(points[6].prediction()).isCloseTo(20.36328125, within(EXACT));
        assertThat(points[6].upper()).isCloseTo(23.67578125, within(EXACT));
        assertThat(points[6].outside()).isFalse();
        assertThat(state.level()).isCloseTo(21.8515625, within(EXACT));
        assertThat(state.trend()).isCloseTo(2.46484375, within(EXACT));
        assertThat(state.seasonal(0)).isCloseTo(-3.953125, within(EXACT));
        assertThat(state.deviation(0)).isCloseTo(1.65625, within(EXACT));
        // t7 (slot 1), two steps after the last known point (n = 2):
        //   ŷ = 21.8515625 + 2·2.46484375 + 6.41796875 = 21.8515625 + 4.9296875 + 6.41796875 = 33.19921875
        //   band ± 2·4.5234375 = 9.046875 → [24.15234375, 42.24609375]; y = 44 outside
        //   window t5 outside, t6 not (missing), t7 outside: 2 of 3 ≥ k = 2 → aberration
        assertThat(points[7].prediction()).isCloseTo(33.19921875, within(EXACT));
        assertThat(points[7].lower()).isCloseTo(24.15234375, within(EXACT));
        assertThat(points[7].upper()).isCloseTo(42.24609375, within(EXACT));
        assertThat(points[7].outside()).isTrue();
        assertThat(points[7].aberration()).isTrue();
    }

    @Test
    void afterAGapTheLevelUsesTheExtrapolatedTrendAndTheTrendIsPerStep() {
        HoltWintersState state = feed(8);

        // t7 learning with n = 2:
        //   a = ½(44 − 6.41796875) + ½(21.8515625 + 2·2.46484375) = 18.791015625 + 13.390625 = 32.181640625
        //   b = ½((32.181640625 − 21.8515625) / 2) + ½·2.46484375 = 2.58251953125 + 1.232421875 = 3.81494140625
        //   c1 = ½(44 − 32.181640625) + ½·6.41796875 = 5.9091796875 + 3.208984375 = 9.1181640625
        //   d1 = ½|44 − 33.19921875| + ½·4.5234375 = 5.400390625 + 2.26171875 = 7.662109375
        assertThat(state.level()).isCloseTo(32.181640625, within(EXACT));
        assertThat(state.trend()).isCloseTo(3.81494140625, within(EXACT));
        assertThat(state.seasonal(1)).isCloseTo(9.1181640625, within(EXACT));
        assertThat(state.deviation(1)).isCloseTo(7.662109375, within(EXACT));
        // the next step (slot 0): ŷ = 32.181640625 + 3.81494140625 + (−3.953125) = 32.04345703125
        assertThat(state.predict(1)).isCloseTo(32.04345703125, within(EXACT));
    }

    private static HoltWintersState feed(int count) {
        HoltWintersState state = new HoltWintersState(HALVES);
        for (int t = 0; t < count; t++) {
            state.update(SERIES[t]);
        }
        return state;
    }
}
