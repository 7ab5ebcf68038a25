package io.gamewire.pulls;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.gamewire.titles.model.PullDefinition.Rate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What this instance may still ask of one publisher host (or host and credential), shared by
 * every pull to it: requests in flight at once (a fair semaphore), requests per window (a Bucket4j
 * bucket; the wait for a token is reserved, so waiting pulls go in turn), and a time before which
 * nothing is sent, set by a 429 or by rate-limit headers saying the budget is spent.
 *
 * <p>A request takes its place in flight first and then waits out the hold and its token while
 * holding it, so a pull that was queued behind one that met a 429 cannot slip in during the hold.
 * One object per key for the life of the instance: a stricter pull tightens it in place
 * ({@link #tighten}), so what is in flight and the tokens spent stay counted.
 *
 * <p>Per instance: several instances each have their own (docs/titles.md, "Pull rate").
 */
final class HostBudget {

    /** The longest hold kept, whatever a header asks: a day (a run's own wait is at most an hour). */
    static final Duration LONGEST_HOLD = Duration.ofDays(1);

    private final String key;
    private final Clock clock;
    private final Places inFlight;
    private Rate rate;
    /** Null without a {@code requests}/{@code per} bound. */
    private Bucket bucket;
    /** Epoch millis before which no request goes to the host; 0 for none. */
    private long heldUntil;
    private String heldBecause;

    HostBudget(String key, Rate rate, Clock clock) {
        this.key = key;
        this.clock = clock;
        this.rate = rate;
        this.inFlight = new Places(Math.max(1, rate.concurrent()));
        this.bucket = hasWindow(rate) ? Bucket.builder().addLimit(limit -> limit.capacity(rate.requests())
                        .refillIntervally(rate.requests(), rate.per()))
                .withCustomTimePrecision(new ClockTime(clock)).build() : null;
    }

    String key() {
        return key;
    }

    synchronized Rate rate() {
        return rate;
    }

    /**
     * Takes the stricter figures of {@code stricter} (fewer in flight, another window), keeping what
     * is in flight and the tokens left.
     */
    synchronized void tighten(Rate stricter) {
        if (stricter.concurrent() < rate.concurrent()) {
            inFlight.reduce(rate.concurrent() - stricter.concurrent());
        }
        if (hasWindow(stricter) && (stricter.requests() != rate.requests() || !stricter.per().equals(rate.per()))) {
            if (bucket == null) {
                bucket = Bucket.builder().addLimit(limit -> limit.capacity(stricter.requests())
                                .refillIntervally(stricter.requests(), stricter.per()))
                        .withCustomTimePrecision(new ClockTime(clock)).build();
            } else {
                bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(limit -> limit
                        .capacity(stricter.requests()).refillIntervally(stricter.requests(), stricter.per())).build(),
                        TokensInheritanceStrategy.AS_IS);
            }
        }
        rate = new Rate(Math.min(rate.concurrent(), stricter.concurrent()), hasWindow(stricter) ? stricter.requests()
                : rate.requests(), hasWindow(stricter) ? stricter.per() : rate.per(), rate.after429(), rate.share());
    }

    /**
     * Waits until a request may go: a place in flight, then the hold, then a token of the window,
     * all within {@code maxWait}. A longer wait is not made: the request is refused, naming when
     * the host takes requests again and why.
     *
     * @return the place in flight, to be closed once the response's body is read
     */
    Permit acquire(Duration maxWait, PullRunner.Sleeper sleeper) throws InterruptedException, HostBusyException {
        long started = System.nanoTime();
        if (!inFlight.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new HostBusyException(key + " had " + rate().concurrent() + " request(s) in flight (rate.concurrent)"
                    + " for longer than limits.max-backoff " + maxWait.toSeconds() + " s");
        }
        Permit permit = new Permit(inFlight);
        try {
            // waited on the clock, so what the semaphore took counts against maxWait too
            Duration left = maxWait.minusMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            left = waitOutHold(left, maxWait, sleeper);
            Bucket window = bucket();
            if (window != null) {
                boolean got = left.isZero() || left.isNegative() ? window.tryConsume(1)
                        : window.asBlocking().tryConsume(1, left, nanos -> sleeper.sleep(Duration.ofNanos(nanos)));
                if (!got) {
                    Rate now = rate();
                    throw new HostBusyException(key + " has used its " + now.requests() + " requests per "
                            + now.per().toSeconds() + " s (rate.requests), and the next is further off than"
                            + " limits.max-backoff " + maxWait.toSeconds() + " s");
                }
            }
            Permit given = permit;
            permit = null;
            return given;
        } finally {
            if (permit != null) {
                permit.close();
            }
        }
    }

    /** Sleeps until the hold is over, again if it was moved meanwhile; returns what is left of the wait. */
    private Duration waitOutHold(Duration left, Duration maxWait, PullRunner.Sleeper sleeper)
            throws InterruptedException, HostBusyException {
        long sleptUntil = Long.MIN_VALUE;
        while (true) {
            long until;
            String because;
            synchronized (this) {
                until = heldUntil;
                because = heldBecause;
            }
            long hold = until - clock.millis();
            if (hold <= 0 || until <= sleptUntil) {
                return left;
            }
            if (hold > left.toMillis()) {
                throw new HostBusyException(key + " takes no request before " + Instant.ofEpochMilli(until) + " ("
                        + because + "), " + Math.round(hold / 1000.0) + " s from now: longer than limits.max-backoff "
                        + maxWait.toSeconds() + " s");
            }
            sleeper.sleep(Duration.ofMillis(hold));
            left = left.minusMillis(hold);
            sleptUntil = until;
        }
    }

    /** No request before {@code until} (at most {@link #LONGEST_HOLD} from now); a later hold already set stays. */
    synchronized void holdUntil(Instant until, String because) {
        long longest = clock.millis() + LONGEST_HOLD.toMillis();
        long at = until.isAfter(Instant.ofEpochMilli(longest)) ? longest : until.toEpochMilli();
        if (at > heldUntil) {
            heldUntil = at;
            heldBecause = because;
        }
    }

    synchronized Duration holdLeft() {
        long left = heldUntil - clock.millis();
        return left <= 0 ? Duration.ZERO : Duration.ofMillis(left);
    }

    /** Requests waiting for a place in flight now. */
    int waiting() {
        return inFlight.getQueueLength();
    }

    private synchronized Bucket bucket() {
        return bucket;
    }

    private static boolean hasWindow(Rate rate) {
        return rate.requests() > 0 && rate.per() != null;
    }

    /** A request's place in flight; closing it twice is harmless. */
    static final class Permit implements AutoCloseable {

        private Semaphore semaphore;

        private Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public synchronized void close() {
            if (semaphore != null) {
                semaphore.release();
                semaphore = null;
            }
        }
    }

    /** A fair semaphore whose places can be taken away while some are in use. */
    private static final class Places extends Semaphore {

        Places(int permits) {
            super(permits, true);
        }

        void reduce(int by) {
            reducePermits(by);
        }
    }

    /** A request the host's budget cannot take within the longest wait a run makes. */
    static final class HostBusyException extends Exception {

        HostBusyException(String message) {
            super(message);
        }
    }

    /** Bucket4j's time from the engine's clock, so tests move it by hand. */
    private record ClockTime(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
