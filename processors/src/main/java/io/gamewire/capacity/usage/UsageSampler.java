package io.gamewire.capacity.usage;

import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageSample;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sampling step: reads the cluster's counts ({@code SUM(total)} of {@code capacity_counters}),
 * takes the difference with the previous reading, divides by the seconds between the two readings
 * and stores the rates (and each service's consumer count) in the {@link UsageArchive} at the step's
 * time, the clock's time floored to {@link UsageArchive#STEP}. Only the series in force are
 * archived (services {@code title.env.service} and declared commands {@code title.env.service.command}).
 *
 * <p>Exactly one instance of a cluster runs the steps (a stateful, clustered Quartz job: route
 * {@code capacity-sample}). The previous reading is kept in memory, so:
 * <ul>
 *   <li>the first step after this instance became the sampler (start, or the job moved here) has no
 *       previous reading: it writes {@code NaN} rates (the consumer counts are known);
 *   <li>a series whose sum went down (rows of an instance gone for a day were pruned) gets
 *       {@code NaN} for that step;
 *   <li>a series absent from the previous reading had no rows then: it counts from 0;
 *   <li>a step at the same step time as the previous one (a late or repeated firing) is skipped.
 * </ul>
 * Rows of instances not updated for {@link #PRUNE_AFTER} are deleted by each step.
 */
public final class UsageSampler {

    private static final Logger LOG = LoggerFactory.getLogger(UsageSampler.class);

    /** Counter rows of an instance not updated for this long are deleted. */
    public static final Duration PRUNE_AFTER = Duration.ofDays(1);

    private final UsageArchive archive;
    private final UsageCounterTable counters;
    private final Supplier<? extends Collection<String>> seriesInForce;
    private volatile ToDoubleFunction<String> consumers;
    private final Clock clock;
    private Reading previous;

    /** What a step read: the step time and the sums per series. */
    private record Reading(long epochSecond, Map<String, Long> sums) {
    }

    /**
     * @param seriesInForce the services and commands of the titles in force
     * @param consumers     a service's consumers across the cluster ({@code NaN} when unknown)
     */
    public UsageSampler(UsageArchive archive, UsageCounterTable counters,
                        Supplier<? extends Collection<String>> seriesInForce, ToDoubleFunction<String> consumers,
                        Clock clock) {
        this.archive = archive;
        this.counters = counters;
        this.seriesInForce = seriesInForce;
        this.consumers = consumers;
        this.clock = clock;
    }

    /** Where a service's consumer count comes from from now on (the planner's, when it has one). */
    public void consumers(ToDoubleFunction<String> source) {
        this.consumers = source;
    }

    /**
     * Runs one step; returns the samples stored (empty when the step was skipped).
     */
    public synchronized Map<String, UsageSample> sample() throws SQLException, IOException {
        long step = UsageArchive.STEP.toSeconds();
        long now = clock.millis();
        long time = Math.floorDiv(now / 1000, step) * step;
        if (previous != null && time <= previous.epochSecond()) {
            LOG.debug("Usage sample at {} skipped: the previous one was at {}", time, previous.epochSecond());
            return Map.of();
        }
        // the rows are stamped on this clock too (CapacityConfiguration), so a compressed one prunes alike
        int pruned = counters.prune(now - PRUNE_AFTER.toMillis());
        if (pruned > 0) {
            LOG.info("Usage counters: {} rows of instances not seen for {} deleted", pruned, PRUNE_AFTER);
        }
        Reading reading = new Reading(time, counters.sums());
        Map<String, UsageSample> samples = new LinkedHashMap<>();
        for (String series : seriesInForce.get()) {
            double rate = rate(series, reading);
            boolean command = series.chars().filter(c -> c == '.').count() == 3;
            samples.put(series, command ? UsageSample.ofCommand(rate) : new UsageSample(rate, consumers.applyAsDouble(series)));
        }
        previous = reading;
        archive.update(time, samples);
        return samples;
    }

    private double rate(String series, Reading reading) {
        if (previous == null) {
            return Double.NaN;
        }
        long difference = reading.sums().getOrDefault(series, 0L) - previous.sums().getOrDefault(series, 0L);
        if (difference < 0) {
            return Double.NaN;
        }
        return (double) difference / (reading.epochSecond() - previous.epochSecond());
    }
}
