package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.titles.model.PullDefinition;
import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** The circuit breaker: opens after N failed runs, skips runs while open, lets one trial through after. */
class PullBreakerTest extends PullTestSupport {

    private PullDefinition pull() {
        return new PullBuilder(url("/flaky")).limits(10, 1, Duration.ofSeconds(1), 2, Duration.ofMinutes(5)).build();
    }

    private void failing() {
        server.enqueue(new MockResponse.Builder().code(500).body("down").build());
    }

    @Test
    void opensAfterTheFailuresAndHalfOpensAfterTheInterval() throws Exception {
        failing();
        failing();
        assertThat(runner.run(TITLE, pull()).failed()).isTrue();
        assertThat(runner.run(TITLE, pull()).failed()).isTrue();

        PullResult skipped = runner.run(TITLE, pull());
        assertThat(skipped.skipped()).isTrue();
        assertThat(skipped.failure()).isEqualTo("circuit open until 2026-01-01T00:05:00Z after 2 failed runs in a row");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(runner.breakerState(TITLE, "leaderboard")).isEqualTo(PullBreaker.State.OPEN);
        assertThat(counter(PullMetrics.RUNS, "outcome", "skipped")).isEqualTo(1);

        // the trial run fails: open for another interval
        clock.advance(Duration.ofMinutes(5));
        assertThat(runner.breakerState(TITLE, "leaderboard")).isEqualTo(PullBreaker.State.HALF_OPEN);
        failing();
        assertThat(runner.run(TITLE, pull()).failed()).isTrue();
        assertThat(runner.run(TITLE, pull()).failure()).startsWith("circuit open until 2026-01-01T00:10:00Z");
        assertThat(server.getRequestCount()).isEqualTo(3);

        // the next trial succeeds: closed again
        clock.advance(Duration.ofMinutes(5));
        server.enqueue(json("[{\"id\": \"a\"}]"));
        assertThat(runner.run(TITLE, pull()).outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(runner.breakerState(TITLE, "leaderboard")).isEqualTo(PullBreaker.State.CLOSED);
        server.enqueue(json("[]"));
        assertThat(runner.run(TITLE, pull()).outcome()).isEqualTo(PullResult.Outcome.OK);
    }

    @Test
    void aManualRunGoesThroughAnOpenBreaker() throws Exception {
        failing();
        failing();
        runner.run(TITLE, pull());
        runner.run(TITLE, pull());
        server.enqueue(json("[]"));

        PullResult forced = runner.run(TITLE, pull(), RunOptions.manual(PullProgress.NONE));

        assertThat(forced.outcome()).isEqualTo(PullResult.Outcome.OK);
        assertThat(runner.breakerState(TITLE, "leaderboard")).isEqualTo(PullBreaker.State.CLOSED);
    }

    @Test
    void aForcedRunThatFailsWhileOpenStartsTheIntervalAgain() {
        PullBreaker breaker = new PullBreaker(1, Duration.ofMinutes(5), clock);
        breaker.tryStart();
        breaker.failed();
        assertThat(breaker.tryStart()).contains(java.time.Instant.parse("2026-01-01T00:05:00Z"));

        clock.advance(Duration.ofMinutes(3));
        breaker.failed(); // a manual run, which did not ask

        assertThat(breaker.state()).isEqualTo(PullBreaker.State.OPEN);
        assertThat(breaker.tryStart()).contains(java.time.Instant.parse("2026-01-01T00:08:00Z"));
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        PullBreaker breaker = new PullBreaker(2, Duration.ofMinutes(1), clock);
        breaker.tryStart();
        breaker.failed();
        breaker.tryStart();
        breaker.succeeded();
        breaker.tryStart();
        breaker.failed();

        assertThat(breaker.tryStart()).isEmpty();
        assertThat(breaker.state()).isEqualTo(PullBreaker.State.CLOSED);
    }

    @Test
    void onlyOneTrialRunsWhileHalfOpen() {
        PullBreaker breaker = new PullBreaker(1, Duration.ofMinutes(1), clock);
        breaker.tryStart();
        breaker.failed();
        clock.advance(Duration.ofMinutes(1));

        assertThat(breaker.tryStart()).isEmpty();
        assertThat(breaker.tryStart()).isPresent();
    }

    @Test
    void zeroFailuresMeansNoBreaker() {
        PullBreaker breaker = new PullBreaker(0, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 10; i++) {
            assertThat(breaker.tryStart()).isEmpty();
            breaker.failed();
        }
    }
}
