package io.gamewire.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticTraceTest {

    @Test
    void sameSeedSameTrace() {
        SyntheticTrace one = SyntheticTrace.generate(TraceSettings.defaults(42));
        SyntheticTrace two = SyntheticTrace.generate(TraceSettings.defaults(42));
        SyntheticTrace other = SyntheticTrace.generate(TraceSettings.defaults(43));

        assertThat(one.rates()).containsExactly(two.rates());
        assertThat(one.aberrations()).isEqualTo(two.aberrations());
        assertThat(other.rates()).isNotEqualTo(one.rates());
    }

    @Test
    void aberrationsAreAsAskedApartAndAfterTheQuietDays() {
        TraceSettings settings = TraceSettings.defaults(42);
        SyntheticTrace trace = SyntheticTrace.generate(settings);

        assertThat(trace.rates()).hasSize(14 * 288);
        assertThat(Arrays.stream(trace.rates()).min().orElseThrow()).isNotNegative();
        assertThat(trace.aberrations()).hasSize(7);
        assertThat(trace.aberrations().stream().filter(a -> a.kind() == InjectedAberration.Kind.OUTAGE)).hasSize(3);
        for (int i = 0; i < trace.aberrations().size(); i++) {
            InjectedAberration aberration = trace.aberrations().get(i);
            assertThat(aberration.start()).isGreaterThanOrEqualTo(2 * 288);
            assertThat(aberration.length()).isBetween(8, 24);
            if (i > 0) {
                assertThat(aberration.start()).isGreaterThan(trace.aberrations().get(i - 1).end());
            }
        }
    }

    @Test
    void ratePeaksInTheEveningAndAtTheWeekend() {
        TraceSettings quiet = new TraceSettings(1, TraceSettings.defaults(1).step(), 7, 100, 0.4, 0.2, 0, 0, 0, 0, 0,
                8, 24, 1.8);
        double[] rates = SyntheticTrace.generate(quiet).rates();

        // Monday 20:00 (step 240) above Monday 08:00 (step 96); Saturday 20:00 above Monday 20:00
        assertThat(rates[240]).isGreaterThan(rates[96]);
        assertThat(rates[5 * 288 + 240]).isGreaterThan(rates[240]);
    }
}
