package io.gamewire.pulls;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops a pull from hammering a publisher that keeps failing: after {@code limits.breaker-failures}
 * consecutive failed runs it opens, and runs are skipped for {@code limits.breaker-open-for}; then
 * one trial run is let through (half-open): its success closes the breaker, its failure opens it
 * for another interval. A breaker with 0 failures never opens. Kept in memory, per pull.
 *
 * <p>A resilience4j {@link CircuitBreaker} does the counting (a count-based window of the last
 * {@code breaker-failures} runs that opens at a 100 % failure rate: that many failures in a row),
 * so its state and calls show on {@code /observe/metrics} as {@code resilience4j_circuitbreaker_*}
 * with {@code name="title/pull"}. Runs are counted, not timed (their durations are given as 0):
 * a long run is not a failure here. This class adds what a run's summary and the admin API tell:
 * until when it is open and how many runs failed in a row, and that a forced (manual) run's
 * success closes it.
 */
public final class PullBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    /** Marks a failed run for the breaker; never thrown. */
    private static final class RunFailed extends Exception {
        RunFailed() {
            super("pull run failed", null, false, false);
        }
    }

    private static final RunFailed RUN_FAILED = new RunFailed();

    private final int failuresToOpen;
    private final Duration openFor;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private volatile Instant openUntil;
    private int consecutiveFailures;

    /** A breaker of its own, not registered anywhere (for tests). */
    public PullBreaker(int failuresToOpen, Duration openFor, Clock clock) {
        this(CircuitBreakerRegistry.ofDefaults(), "pull", failuresToOpen, openFor, clock);
    }

    /**
     * A breaker registered under {@code name} in {@code registry}, in place of any one there
     * (whose limits the title file may have changed).
     */
    PullBreaker(CircuitBreakerRegistry registry, String name, int failuresToOpen, Duration openFor, Clock clock) {
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor == null || openFor.isNegative() ? Duration.ZERO : openFor;
        this.clock = clock;
        int window = Math.max(1, failuresToOpen);
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(window, window, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                // at least a millisecond: resilience4j refuses a zero wait
                .waitDurationInOpenState(this.openFor.isZero() ? Duration.ofMillis(1) : this.openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .clock(clock)
                .currentTimestampFunction(c -> c.millis(), TimeUnit.MILLISECONDS)
                .build();
        registry.remove(name);
        this.breaker = registry.circuitBreaker(name, config);
        if (failuresToOpen <= 0) {
            breaker.transitionToDisabledState();
        }
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openUntil = clock.instant().plus(this.openFor);
            }
        });
    }

    /**
     * Asks to start a run: empty when it may start (then {@link #succeeded} or {@link #failed} must
     * follow), else the instant until which runs are skipped. A forced run does not ask: it would
     * count as a call not permitted.
     */
    public synchronized Optional<Instant> tryStart() {
        Instant until = openUntil;
        if (breaker.getState() == CircuitBreaker.State.OPEN && until != null) {
            if (clock.instant().isBefore(until)) {
                return Optional.of(until); // the interval this class keeps is the one that counts
            }
            // half-open from the instant the interval ends (resilience4j waits for a moment after it)
            breaker.transitionToHalfOpenState();
        }
        if (breaker.tryAcquirePermission()) {
            return Optional.empty();
        }
        return Optional.of(until == null ? clock.instant() : until);
    }

    /** A run let through by {@link #tryStart} (or forced past it) succeeded; a forced success closes it. */
    public synchronized void succeeded() {
        consecutiveFailures = 0;
        breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.transitionToClosedState();
        }
        openUntil = null;
    }

    /** A run failed; a forced run that failed while open starts the interval again. */
    public synchronized void failed() {
        consecutiveFailures++;
        breaker.onError(0, TimeUnit.MILLISECONDS, RUN_FAILED);
        if (breaker.getState() == CircuitBreaker.State.OPEN && failuresToOpen > 0) {
            breaker.transitionToOpenState();
            openUntil = clock.instant().plus(openFor); // an OPEN -> OPEN transition publishes no event
        }
    }

    public synchronized State state() {
        return switch (breaker.getState()) {
            case OPEN -> openUntil != null && !clock.instant().isBefore(openUntil) ? State.HALF_OPEN : State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
            default -> State.CLOSED;
        };
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    boolean sameLimits(int failuresToOpen, Duration openFor) {
        return this.failuresToOpen == failuresToOpen
                && this.openFor.equals(openFor == null || openFor.isNegative() ? Duration.ZERO : openFor);
    }
}
