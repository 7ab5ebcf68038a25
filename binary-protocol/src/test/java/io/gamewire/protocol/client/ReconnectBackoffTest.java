package io.gamewire.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    private final ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void theDelayDoublesWithEachFailedAttemptLessUpToHalfOfIt() {
        for (int attempts = 0; attempts <= 5; attempts++) {
            long ceiling = 100L << attempts;
            for (int draw = 0; draw < 20; draw++) {
                assertThat(backoff.delay(attempts)).as("after %d failed attempts", attempts)
                        .isBetween(Duration.ofMillis(ceiling / 2), Duration.ofMillis(ceiling));
            }
        }
    }

    @Test
    void theDelayStopsGrowingAtTheMaximumAndNeverOverflows() {
        assertThat(backoff.delay(6)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        ReconnectBackoff huge = new ReconnectBackoff(Duration.ofDays(365), Duration.ofDays(365L * 200));
        assertThat(huge.delay(Integer.MAX_VALUE)).isPositive().isLessThanOrEqualTo(Duration.ofDays(365L * 200));
    }

    @Test
    void clientsThatLostTheSameServerDoNotAllWaitTheSameTime() {
        Set<Duration> delays = IntStream.range(0, 50).mapToObj(i -> backoff.delay(2)).collect(Collectors.toSet());

        assertThat(delays).hasSizeGreaterThan(1);
    }

    @Test
    void initialMustBePositiveAndNotAboveMax() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("reconnectBackoff needs 0 < initial <= max, was initial PT0S, max PT1S");
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("was initial PT2S, max PT1S");
    }
}
