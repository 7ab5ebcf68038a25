package io.gamewire.capacity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code speed} times faster than the system's from {@code origin}: for
 * demonstrations and the end-to-end proof of pre-scaling ({@code gamewire.capacity.clock-speed},
 * {@code clock-origin}), where a day of traffic passes in minutes. The usage sampler and the
 * planner read it; rates they compute are per second of this clock. Speed 1 with the origin now is
 * the system's clock.
 */
public final class CompressedClock extends Clock {

    private final Instant origin;
    private final double speed;
    private final long startNanos;
    private final long startMillis;

    public CompressedClock(Instant origin, double speed) {
        if (!(speed >= 1) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("gamewire.capacity.clock-speed must be at least 1, was " + speed);
        }
        this.origin = origin;
        this.speed = speed;
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
    }

    /** How much of this clock's time passes in {@code real} time. */
    public Duration compressed(Duration real) {
        return Duration.ofNanos((long) (real.toNanos() * speed));
    }

    /** How much real time passes while {@code compressed} passes on this clock. */
    public Duration real(Duration compressed) {
        return Duration.ofNanos((long) (compressed.toNanos() / speed));
    }

    public double speed() {
        return speed;
    }

    /** The real time (epoch ms) at which this clock shows {@code instant}. */
    public long realMillisAt(Instant instant) {
        return startMillis + (long) (Duration.between(origin, instant).toMillis() / speed);
    }

    @Override
    public Instant instant() {
        return origin.plusNanos((long) ((System.nanoTime() - startNanos) * speed));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the capacity clock is UTC");
    }
}
