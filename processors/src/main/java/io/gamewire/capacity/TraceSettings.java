package io.gamewire.capacity;

import java.time.Duration;

/**
 * What {@link SyntheticTrace} generates: a message rate with an evening peak every day and a weekend peak
 * every week, a linear trend, noise, and injected spikes and outages.
 *
 * @param seed            the random seed: the same settings give the same trace
 * @param step            the time between points
 * @param days            the trace's length
 * @param baseRate        the mean rate at the start, in messages per second
 * @param dailyAmplitude  the daily swing as a share of the base (peak at 20:00, trough at 08:00)
 * @param weeklyAmplitude the weekly swing as a share of the base (peak on Saturday at 12:00; day 0 is a Monday)
 * @param trendPerDay     the growth per day as a share of the base
 * @param noise           the noise's standard deviation as a share of the expected rate at that step
 * @param spikes          how many spikes to inject
 * @param outages         how many outages to inject
 * @param quietDays       no aberration starts in the first days (the forecast's warm-up)
 * @param minLength       the shortest aberration, in steps
 * @param maxLength       the longest aberration, in steps
 * @param spikeFactor     a spike multiplies the rate by this
 */
public record TraceSettings(long seed, Duration step, int days, double baseRate, double dailyAmplitude,
        double weeklyAmplitude, double trendPerDay, double noise, int spikes, int outages, int quietDays,
        int minLength, int maxLength, double spikeFactor) {

    public TraceSettings {
        HoltWintersParameters.stepsIn(Duration.ofDays(1), step);
        if (days < 1 || quietDays < 0 || quietDays >= days) {
            throw new IllegalArgumentException("days must be at least 1 and quietDays fewer, were " + days + " and "
                    + quietDays);
        }
        if (!(baseRate > 0) || dailyAmplitude < 0 || weeklyAmplitude < 0 || dailyAmplitude + weeklyAmplitude >= 1) {
            throw new IllegalArgumentException("baseRate must be positive and dailyAmplitude + weeklyAmplitude below 1"
                    + " (the rate stays positive), were " + baseRate + ", " + dailyAmplitude + ", " + weeklyAmplitude);
        }
        if (noise < 0 || spikes < 0 || outages < 0 || minLength < 1 || maxLength < minLength || !(spikeFactor > 1)) {
            throw new IllegalArgumentException("noise, spikes and outages must not be negative, 1 <= minLength <="
                    + " maxLength and spikeFactor above 1");
        }
    }

    /**
     * Two weeks at a 5 min step: 100 msg/s ± 40 % a day, ± 20 % a week, +1 % a day, 5 % noise, four spikes
     * (×1.8) and three outages of 40 min to 2 h after the first two days.
     */
    public static TraceSettings defaults(long seed) {
        return new TraceSettings(seed, Duration.ofMinutes(5), 14, 100, 0.4, 0.2, 0.01, 0.05, 4, 3, 2, 8, 24, 1.8);
    }

    public int stepsPerDay() {
        return HoltWintersParameters.stepsIn(Duration.ofDays(1), step);
    }

    public TraceSettings withSeed(long seed) {
        return new TraceSettings(seed, step, days, baseRate, dailyAmplitude, weeklyAmplitude, trendPerDay, noise,
                spikes, outages, quietDays, minLength, maxLength, spikeFactor);
    }
}
