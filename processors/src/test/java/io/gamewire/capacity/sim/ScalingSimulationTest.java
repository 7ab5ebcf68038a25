package io.gamewire.capacity.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.capacity.SyntheticTrace;
import io.gamewire.capacity.TraceSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingSimulationTest {

    private static final ScalingSimulation.Settings SETTINGS = ScalingSimulation.Settings.defaults();

    /** Ten days at one minute, the default shape, no aberrations: seven to learn, three simulated. */
    private static SyntheticTrace seasonal(long seed) {
        return SyntheticTrace.generate(new TraceSettings(seed, Duration.ofMinutes(1), 10, 100, 0.4, 0.2, 0.01, 0.05,
                0, 0, 2, 8, 24, 1.8));
    }

    @Test
    void onSeasonalTrafficTheForecastKeepsTheQueueEmptyWithHalfTheConsumerHoursOfSpringsContainer() {
        List<SimulationResult> results = ScalingSimulation.compare(seasonal(1), SETTINGS);
        SimulationResult forecast = results.get(0);
        SimulationResult spring = results.get(1);
        SimulationResult depth = results.get(2);

        assertThat(forecast.peakBacklog()).isZero();
        assertThat(forecast.secondsBehind()).isZero();
        // Spring's container runs at its maximum under any steady traffic
        assertThat(spring.consumersPerMinute()).containsOnly(SETTINGS.max());
        assertThat(forecast.consumerHours()).isLessThan(0.6 * spring.consumerHours());
        // scaling on depth follows every ramp late
        assertThat(depth.peakBacklog()).isGreaterThan(100);
        assertThat(depth.secondsBehind()).isGreaterThan(3_600);
    }

    @Test
    void theForecastRaisesTheConsumersBeforeEachEveningPeakArrives() {
        SimulationResult forecast = ScalingSimulation.compare(seasonal(2), SETTINGS).get(0);
        double[] consumers = forecast.consumersPerMinute();
        double[] rates = forecast.ratePerMinute();
        for (int day = 0; day < 3; day++) {
            // the first minute of the day whose rate needs more consumers than run at 14:00
            int afternoon = day * 1_440 + 14 * 60;
            int needsMore = afternoon;
            while (Math.ceil(rates[needsMore] / SETTINGS.consumerRate()) <= consumers[afternoon]) {
                needsMore++;
            }
            assertThat(consumers[needsMore - 1]).as("day %d, minute before %d", day, needsMore)
                    .isGreaterThanOrEqualTo(Math.ceil(rates[needsMore] / SETTINGS.consumerRate()));
        }
    }

    @Test
    void aSpikeNoSeasonExplainsIsMetByTheBacklogRuleAsFastAsDepthScaling() {
        SyntheticTrace spiky = SyntheticTrace.generate(new TraceSettings(1, Duration.ofMinutes(1), 10, 100, 0.4, 0.2,
                0.01, 0.05, 2, 1, 7, 8, 24, 1.8));
        List<SimulationResult> results = ScalingSimulation.compare(spiky, SETTINGS);

        assertThat(results.get(0).peakBacklog()).isGreaterThan(0).isLessThanOrEqualTo(results.get(2).peakBacklog());
        assertThat(results.get(0).drainSeconds()).isLessThan(120);
    }

    @Test
    void aConsumerThatTakesAMinuteToStartCostsTheReactiveWaysMore() {
        SyntheticTrace trace = seasonal(3);
        double before = ScalingSimulation.compare(trace, SETTINGS).get(2).peakBacklog();
        List<SimulationResult> slow = ScalingSimulation.compare(trace, SETTINGS.withStartupSeconds(60));

        assertThat(slow.get(0).peakBacklog()).isZero();
        assertThat(slow.get(2).peakBacklog()).isGreaterThan(before);
    }

    @Test
    void aTraceNotAtOneMinuteOrTooShortIsRefused() {
        assertThatThrownBy(() -> ScalingSimulation.compare(SyntheticTrace.generate(
                        new TraceSettings(1, Duration.ofMinutes(5), 10, 100, 0.4, 0.2, 0.01, 0.05, 0, 0, 2, 8, 24, 1.8)),
                SETTINGS)).hasMessageContaining("one minute");
        assertThatThrownBy(() -> ScalingSimulation.compare(SyntheticTrace.generate(
                        new TraceSettings(1, Duration.ofMinutes(1), 7, 100, 0.4, 0.2, 0.01, 0.05, 0, 0, 2, 8, 24, 1.8)),
                SETTINGS)).hasMessageContaining("7 training days");
    }

    @Test
    void consumerHoursCountEveryRunningConsumerSecond() {
        double[] flat = new double[120];
        Arrays.fill(flat, 50);
        SimulationResult result = ScalingSimulation.run(flat, SETTINGS, new ServiceScaler() {
            @Override
            public int consumers(long second, double arrived, double backlog, int running) {
                return 2;
            }

            @Override
            public String name() {
                return "two";
            }
        });
        assertThat(result.consumerHours()).isEqualTo(2 * 120 * 60 / 3600.0);
        assertThat(result.peakBacklog()).isZero();
    }
}
