package io.gamewire.capacity.plan;

import io.gamewire.capacity.HoltWintersState;
import java.time.Duration;
import java.time.Instant;

/**
 * The rule that turns a forecast into a consumer count for one service, without any I/O: needed =
 * ceil(upper band at now + lead ÷ what one consumer sustains), kept within {@code consumers: {min,
 * max}}. Up at once; down only once the last forecast that needed the current count has come to
 * pass (its time is now + lead when it was made) and the cool-down after it has run out, so a
 * service never gives consumers back in the middle of a peak or between two close ones.
 *
 * <p>Not thread-safe: the planner calls it from one thread per service.
 */
public final class ScalingPolicy {

    private final int min;
    private final int max;
    private final Duration lead;
    private final Duration coolDown;
    /** When the latest forecast needing at least the current count will have come to pass. */
    private Instant busyUntil = Instant.MIN;

    public ScalingPolicy(int min, int max, Duration lead, Duration coolDown) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("consumers must be 1 <= min <= max, were min " + min + ", max " + max);
        }
        if (lead.isNegative() || coolDown.isNegative()) {
            throw new IllegalArgumentException("lead (" + lead + ") and cool-down (" + coolDown + ") must not be negative");
        }
        this.min = min;
        this.max = max;
        this.lead = lead;
        this.coolDown = coolDown;
    }

    /** Seconds of the running consumers' work waiting beyond which the backlog, not the forecast, says what is needed. */
    public static final int BEHIND_SECONDS = 5;
    /** What a backlog the forecast did not foresee adds to the demand: drained within this many seconds. */
    public static final int DRAIN_SECONDS = 60;

    /**
     * What the consumers must carry, messages a second: the forecast's upper band; or, when more
     * waits than {@value #BEHIND_SECONDS} s of the running consumers' work and the measured rate plus
     * the backlog drained within {@value #DRAIN_SECONDS} s is higher (a spike no season explains, a
     * forecast still learning), that. Without a forecast ({@code NaN}) and without a backlog, {@code NaN}.
     *
     * @param forecastUpper the highest upper band between now and now + lead
     * @param measuredRate  the arrival rate measured lately, messages a second
     * @param backlog       messages waiting in the queue now
     */
    public static double demand(double forecastUpper, double measuredRate, double backlog, int running,
            double consumerRate) {
        return demand(forecastUpper, measuredRate, backlog, running, consumerRate, 1);
    }

    /**
     * {@link #demand(double, double, double, int, double)} on a clock {@code speed} times faster than
     * real time ({@link io.gamewire.capacity.CompressedClock}): rates are per second of that clock,
     * but a queue fills and drains in real time (a batch wait, a request's round trip), so the two
     * windows stay {@value #BEHIND_SECONDS} and {@value #DRAIN_SECONDS} real seconds, {@code speed}
     * times as many of the clock's.
     */
    public static double demand(double forecastUpper, double measuredRate, double backlog, int running,
            double consumerRate, double speed) {
        double observed = measuredRate + backlog / (DRAIN_SECONDS * speed);
        return behind(backlog, running, consumerRate, speed) && !(observed <= forecastUpper) ? observed : forecastUpper;
    }

    /**
     * Whether more waits than {@value #BEHIND_SECONDS} real seconds of the running consumers' work
     * (rates per second of a clock {@code speed} times faster than real time).
     */
    public static boolean behind(double backlog, int running, double consumerRate, double speed) {
        return backlog > running * consumerRate * BEHIND_SECONDS * speed;
    }

    /**
     * The highest upper band of the next {@code steps} steps of {@code forecast} (what the lead must
     * cover, not only its last minute); NaN while the forecast has no band.
     */
    public static double highestUpperBand(HoltWintersState forecast, int steps) {
        double highest = Double.NaN;
        for (int ahead = 1; ahead <= steps; ahead++) {
            double band = forecast.upperBand(ahead);
            highest = Double.isNaN(highest) ? band : Math.max(highest, band);
        }
        return highest;
    }

    /** The consumers the forecast needs, within min and max; {@code current} (clamped) without a forecast. */
    public int needed(double upperAtLead, double consumerRate, int current) {
        if (!(upperAtLead >= 0) || !(consumerRate > 0)) {
            return clamp(current);
        }
        double consumers = Math.ceil(upperAtLead / consumerRate);
        return clamp(consumers >= max ? max : (int) consumers);
    }

    /**
     * The count to run now.
     *
     * @param now          the planner's clock
     * @param current      consumers per instance running now
     * @param upperAtLead  the forecast's upper band at now + lead, messages a second ({@code NaN}: no forecast yet)
     * @param consumerRate messages a second one consumer sustains
     */
    public Target decide(Instant now, int current, double upperAtLead, double consumerRate) {
        if (!(upperAtLead >= 0)) {
            int kept = clamp(current);
            return new Target(kept, "no forecast yet: keeping " + kept);
        }
        int needed = needed(upperAtLead, consumerRate, current);
        String why = String.format("upper band %.1f msg/s at now + %s, one consumer sustains %.1f msg/s: %d needed"
                + " (min %d, max %d)", upperAtLead, lead, consumerRate, needed, min, max);
        if (needed >= current) {
            busyUntil = now.plus(lead);
            return new Target(needed, needed > current ? why + ", up from " + current : why);
        }
        Instant downAt = busyUntil.equals(Instant.MIN) ? now : busyUntil.plus(coolDown);
        if (now.isBefore(downAt)) {
            return new Target(current, why + ", keeping " + current + " until " + downAt
                    + " (the last forecast needing them comes to pass, then the cool-down of " + coolDown + ")");
        }
        return new Target(needed, why + ", down from " + current);
    }

    private int clamp(int consumers) {
        return Math.max(min, Math.min(max, consumers));
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public Duration lead() {
        return lead;
    }

    public Duration coolDown() {
        return coolDown;
    }

    /** A count to run and why. */
    public record Target(int consumers, String reason) {
    }
}
