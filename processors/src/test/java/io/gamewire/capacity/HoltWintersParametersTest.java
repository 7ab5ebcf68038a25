package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HoltWintersParametersTest {

    @Test
    void defaultsAreRrdtoolsWithASeasonOfADayOrAWeek() {
        HoltWintersParameters daily = HoltWintersParameters.daily(Duration.ofSeconds(10));

        assertThat(daily).isEqualTo(new HoltWintersParameters(0.1, 0.0035, 0.1, 0.1, 2, 7, 9, 8640));
        assertThat(HoltWintersParameters.weekly(Duration.ofMinutes(5)).seasonLength()).isEqualTo(2016);
    }

    @Test
    void eachRefusalNamesTheParameter() {
        assertRefused(new double[] {0, 0.1, 0.1, 0.1, 2}, 7, 9, 288, "alpha");
        assertRefused(new double[] {0.1, 1, 0.1, 0.1, 2}, 7, 9, 288, "beta");
        assertRefused(new double[] {0.1, 0.1, Double.NaN, 0.1, 2}, 7, 9, 288, "gamma");
        assertRefused(new double[] {0.1, 0.1, 0.1, -0.1, 2}, 7, 9, 288, "deviationGamma");
        assertRefused(new double[] {0.1, 0.1, 0.1, 0.1, 0}, 7, 9, 288, "delta");
        assertRefused(new double[] {0.1, 0.1, 0.1, 0.1, 2}, 10, 9, 288, "threshold (k)");
        assertRefused(new double[] {0.1, 0.1, 0.1, 0.1, 2}, 7, 29, 288, "window (w)");
        assertRefused(new double[] {0.1, 0.1, 0.1, 0.1, 2}, 7, 9, 1, "seasonLength (m)");
        assertThatThrownBy(() -> HoltWintersParameters.daily(Duration.ofSeconds(7)))
                .hasMessageContaining("divide the season");
    }

    private static void assertRefused(double[] smoothing, int k, int w, int m, String name) {
        assertThatThrownBy(() -> new HoltWintersParameters(smoothing[0], smoothing[1], smoothing[2], smoothing[3],
                smoothing[4], k, w, m)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + " must");
    }
}
