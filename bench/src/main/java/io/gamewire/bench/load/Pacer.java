package io.gamewire.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces one worker's sends to a fixed rate (open loop). Each send has the time it was due, and
 * latency is counted from then: a server that stalls shows up as latency of the sends that had to
 * wait, instead of silently lowering the rate (coordinated omission). Not thread-safe: one per
 * worker.
 */
final class Pacer {

    private final long intervalNanos;
    private long nextDue;

    private Pacer(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** No pacing: every send is due at once. */
    static Pacer unpaced() {
        return new Pacer(0);
    }

    static Pacer perSecond(double sendsPerSecond) {
        return new Pacer(Math.max(1, Math.round(1e9 / sendsPerSecond)));
    }

    boolean paced() {
        return intervalNanos > 0;
    }

    /** Waits until the next send is due and returns when it was due, in {@link System#nanoTime()}. */
    long awaitNext() throws InterruptedException {
        long now = System.nanoTime();
        if (intervalNanos == 0) {
            return now;
        }
        if (nextDue == 0) {
            nextDue = now;
        }
        long due = nextDue;
        nextDue += intervalNanos;
        for (long wait = due - now; wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return due;
    }
}
