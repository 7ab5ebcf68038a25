package io.gamewire.pulls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Stops a pull from hammering a publisher that keeps failing: after {@code limits.breaker-failures}
 * consecutive failed runs it opens, and runs are skipped for {@code limits.breaker-open-for}; then
 * one trial run is let through (half-open): its success closes the breaker, its failure opens it
 * for another interval. A breaker with 0 failures never opens. Kept in memory, per pull.
 */
public final class PullBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int failuresToOpen;
    private final Duration openFor;
    private final Clock clock;
    private int consecutiveFailures;
    private State state = State.CLOSED;
    private Instant openUntil;
    private boolean trialRunning;

    public PullBreaker(int failuresToOpen, Duration openFor, Clock clock) {
        this.failuresToOpen = failuresToOpen;
        this.openFor = openFor == null ? Duration.ZERO : openFor;
        this.clock = clock;
    }

    /**
     * Asks to start a run: empty when it may start (then {@link #succeeded} or {@link #failed} must
     * follow), else the instant until which runs are skipped.
     */
    public synchronized Optional<Instant> tryStart() {
        if (state == State.OPEN) {
            if (clock.instant().isBefore(openUntil)) {
                return Optional.of(openUntil);
            }
            state = State.HALF_OPEN;
            trialRunning = false;
        }
        if (state == State.HALF_OPEN) {
            if (trialRunning) {
                // one trial at a time: the others wait for its verdict
                return Optional.of(openUntil);
            }
            trialRunning = true;
        }
        return Optional.empty();
    }

    /** A run let through by {@link #tryStart} (or forced past it) succeeded. */
    public synchronized void succeeded() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        trialRunning = false;
        openUntil = null;
    }

    /** A run failed. */
    public synchronized void failed() {
        consecutiveFailures++;
        trialRunning = false;
        if (failuresToOpen > 0 && (state == State.HALF_OPEN || consecutiveFailures >= failuresToOpen)) {
            state = State.OPEN;
            openUntil = clock.instant().plus(openFor);
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            return State.HALF_OPEN;
        }
        return state;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    boolean sameLimits(int failuresToOpen, Duration openFor) {
        return this.failuresToOpen == failuresToOpen && this.openFor.equals(openFor == null ? Duration.ZERO : openFor);
    }
}
