package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacktestTest {

    /** The default backtest (two weeks at 5 min, a week of training): its figures go in docs/CAPACITY.md. */
    @Test
    void defaultBacktestPrintsItsFigures() {
        for (long seed = 1; seed <= 5; seed++) {
            Backtest backtest = Backtest.run(seed);
            System.out.printf("capacity backtest seed %d: alpha %.4f beta %.6f gamma %.4f gamma-deviation %.2f delta %.2f: %s%n", seed,
                    backtest.fitted().alpha(), backtest.fitted().beta(), backtest.fitted().gamma(), backtest.fitted().deviationGamma(),
                    backtest.fitted().delta(), backtest.score());
        }
        BacktestScore score = Backtest.run(1).score();

        assertThat(score.evaluatedPoints()).isEqualTo(7 * 288);
        assertThat(score.mase()).isLessThanOrEqualTo(BacktestScore.MASE_TARGET);
        assertThat(score.falseAlarmsPerDay()).isLessThanOrEqualTo(BacktestScore.FALSE_ALARMS_PER_DAY_TARGET);
    }
}
