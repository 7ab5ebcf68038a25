package io.gamewire.capacity.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Golden cases written by hand: min 1, max 8, lead 5 min, cool-down 15 min, 100 msg/s a consumer. */
class ScalingPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
    private static final double RATE = 100;
    private final ScalingPolicy policy = new ScalingPolicy(1, 8, Duration.ofMinutes(5), Duration.ofMinutes(15));

    private int decide(Duration after, int current, double upper) {
        return policy.decide(T0.plus(after), current, upper, RATE).consumers();
    }

    @Test
    void onACompressedClockTheBacklogWindowsStayRealSeconds() {
        // 600 waiting for one consumer of 10 msg/s: 60 s of work, behind on a real-time clock
        assertThat(ScalingPolicy.demand(Double.NaN, 0, 600, 1, 10)).isEqualTo(10.0);
        // 120 times faster: the same 600 are half a real second of work (10 msg/s of the clock is
        // 1200 a real second), not behind
        assertThat(ScalingPolicy.demand(Double.NaN, 0, 600, 1, 10, 120)).isNaN();
        // 120,000 waiting are 100 real seconds of work: drained within 60 real seconds
        assertThat(ScalingPolicy.demand(Double.NaN, 0, 120_000, 1, 10, 120)).isCloseTo(120_000 / 7_200.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void upAtOnce() {
        ScalingPolicy.Target target = policy.decide(T0, 2, 450, RATE);

        assertThat(target.consumers()).isEqualTo(5);
        assertThat(target.reason()).isEqualTo("upper band 450.0 msg/s at now + PT5M, one consumer sustains 100.0"
                + " msg/s: 5 needed (min 1, max 8), up from 2");
    }

    @Test
    void holdsDuringTheLeadAndTheCoolDownThenGoesDown() {
        assertThat(decide(Duration.ZERO, 2, 450)).isEqualTo(5);
        // the forecast needing 5 comes to pass at T0 + 5 min; the cool-down runs to T0 + 20 min
        assertThat(decide(Duration.ofMinutes(1), 5, 150)).isEqualTo(5);
        assertThat(decide(Duration.ofMinutes(10), 5, 150)).isEqualTo(5);
        ScalingPolicy.Target held = policy.decide(T0.plus(Duration.ofMinutes(19).plusSeconds(59)), 5, 150, RATE);
        assertThat(held.consumers()).isEqualTo(5);
        assertThat(held.reason()).endsWith("keeping 5 until 2026-12-01T20:20:00Z (the last forecast needing them"
                + " comes to pass, then the cool-down of PT15M)");
        ScalingPolicy.Target down = policy.decide(T0.plus(Duration.ofMinutes(20)), 5, 150, RATE);
        assertThat(down.consumers()).isEqualTo(2);
        assertThat(down.reason()).endsWith(", down from 5");
    }

    @Test
    void aForecastNeedingTheCurrentCountStartsTheWaitAgain() {
        assertThat(decide(Duration.ZERO, 2, 450)).isEqualTo(5);
        // at T0 + 10 min still 5 needed: the wait now ends at T0 + 15 + 15 min
        assertThat(decide(Duration.ofMinutes(10), 5, 500)).isEqualTo(5);
        assertThat(decide(Duration.ofMinutes(25), 5, 100)).isEqualTo(5);
        assertThat(decide(Duration.ofMinutes(30), 5, 100)).isEqualTo(1);
    }

    @Test
    void aServiceNeverScaledUpGoesDownAtOnce() {
        assertThat(decide(Duration.ZERO, 4, 150)).isEqualTo(2);
    }

    @Test
    void keptWithinMinAndMax() {
        assertThat(decide(Duration.ZERO, 2, 5_000)).isEqualTo(8);
        assertThat(decide(Duration.ofHours(1), 8, 0)).isEqualTo(1);
        ScalingPolicy atLeastTwo = new ScalingPolicy(2, 3, Duration.ofMinutes(5), Duration.ofMinutes(15));
        assertThat(atLeastTwo.decide(T0, 2, 0, RATE).consumers()).isEqualTo(2);
        assertThat(atLeastTwo.decide(T0, 1, 1, RATE).consumers()).isEqualTo(2);
        assertThat(atLeastTwo.needed(Double.MAX_VALUE, 0.001, 2)).isEqualTo(3);
    }

    @Test
    void withoutAForecastTheCountIsKeptWithinTheLimits() {
        ScalingPolicy.Target target = policy.decide(T0, 3, Double.NaN, RATE);

        assertThat(target.consumers()).isEqualTo(3);
        assertThat(target.reason()).isEqualTo("no forecast yet: keeping 3");
        assertThat(decide(Duration.ZERO, 12, Double.NaN)).isEqualTo(8);
        assertThat(decide(Duration.ZERO, 0, Double.NaN)).isEqualTo(1);
    }

    @Test
    void aConsumerRateThatIsNoRateKeepsTheCount() {
        assertThat(policy.needed(450, 0, 3)).isEqualTo(3);
        assertThat(policy.needed(450, Double.NaN, 3)).isEqualTo(3);
    }

    @Test
    void refusesLimitsThatCannotHold() {
        assertThatThrownBy(() -> new ScalingPolicy(0, 4, Duration.ZERO, Duration.ZERO))
                .hasMessage("consumers must be 1 <= min <= max, were min 0, max 4");
        assertThatThrownBy(() -> new ScalingPolicy(3, 2, Duration.ZERO, Duration.ZERO))
                .hasMessage("consumers must be 1 <= min <= max, were min 3, max 2");
        assertThatThrownBy(() -> new ScalingPolicy(1, 2, Duration.ofMinutes(-1), Duration.ZERO))
                .hasMessageContaining("must not be negative");
    }
}
