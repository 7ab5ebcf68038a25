package io.gamewire.admin.capacity;

import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageSample;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.capacity.plan.CapacityMode;
import io.gamewire.capacity.plan.CapacityPlans;
import io.gamewire.capacity.plan.ScalingDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * In-memory stand-ins for the archive and the planner, and a known periodic series (in the test-jar: the
 * end-to-end CapacityIT binds them too).
 */
public final class CapacityFakes {

    /** 2026-11-30T00:00:00Z, a midnight. */
    public static final long MIDNIGHT = Instant.parse("2026-11-30T00:00:00Z").getEpochSecond();
    public static final int PEAK_MINUTE = 20 * 60;

    private CapacityFakes() {
    }

    /**
     * {@code days} of 1 min rows from {@link #MIDNIGHT}: 100 msg/s with a daily bump to 200 at 20:00 UTC (about 1 h 30 wide), 2 % noise;
     * consumers 2, 4 from 18:00 to 22:00.
     */
    public static UsageSeries periodic(String service, int days, long seed) {
        Random random = new Random(seed);
        int rows = days * 1440;
        double[] rates = new double[rows];
        double[] consumers = new double[rows];
        for (int t = 0; t < rows; t++) {
            int minute = (t + 1) % 1440; // row t ends at start + (t + 1) min... kept simple: minute of its end
            int fromPeak = Math.min(Math.abs(minute - PEAK_MINUTE), 1440 - Math.abs(minute - PEAK_MINUTE));
            rates[t] = (100 + 100 * Math.exp(-Math.pow(fromPeak / 45.0, 2))) * (1 + 0.02 * random.nextGaussian());
            consumers[t] = minute >= 18 * 60 && minute < 22 * 60 ? 4 : 2;
        }
        return new UsageSeries(service, MIDNIGHT + 60, 60, rates, consumers);
    }

    /** {@link #periodic} moved so its last row ends at the whole minute before {@code epochSecond}. */
    public static UsageSeries periodicEndingAt(String service, int days, long seed, long epochSecond) {
        UsageSeries series = periodic(service, days, seed);
        long end = epochSecond / 60 * 60;
        return new UsageSeries(service, end - (series.size() - 1) * 60L, 60, series.rates(), series.consumers());
    }

    public static ScalingDecision decision(String service, Instant at, int current, int planned) {
        return new ScalingDecision(service, at, CapacityMode.RECOMMEND, current, planned, false, 180.5,
                at.plus(Duration.ofMinutes(10)), 50, "upper band 180.5 msg/s at now + PT10M: " + planned + " needed");
    }

    /** An archive holding fixed series; a fetch returns the rows between the two times. */
    public static final class Archive implements UsageArchive {

        private final Map<String, UsageSeries> series = new HashMap<>();

        public Archive with(UsageSeries one) {
            series.put(one.series(), one);
            return this;
        }

        @Override
        public void update(long epochSecond, Map<String, UsageSample> samples) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UsageSeries fetch(String name, Resolution resolution, Consolidation consolidation, long start, long end) {
            UsageSeries all = series.get(name);
            if (all == null) {
                throw new NoSuchElementException(name);
            }
            int from = (int) Math.max(0, -Math.floorDiv(all.startEpochSecond() - start, all.stepSeconds()));
            int to = (int) Math.min(all.size() - 1, Math.floorDiv(end - all.startEpochSecond(), all.stepSeconds()));
            if (to < from) {
                return new UsageSeries(name, all.time(from), all.stepSeconds(), new double[0], new double[0]);
            }
            return new UsageSeries(name, all.time(from), all.stepSeconds(),
                    Arrays.copyOfRange(all.rates(), from, to + 1), Arrays.copyOfRange(all.consumers(), from, to + 1));
        }

        @Override
        public Set<String> series() {
            return series.keySet();
        }

        @Override
        public long lastUpdate(String name) {
            UsageSeries one = series.get(name);
            return one == null ? 0 : one.time(one.size() - 1);
        }

        @Override
        public void close() {
        }
    }

    /** A planner's decisions, kept per service. */
    public static final class Plans implements CapacityPlans {

        private final Map<String, List<ScalingDecision>> decisions = new TreeMap<>();

        public Plans with(ScalingDecision decision) {
            decisions.computeIfAbsent(decision.service(), s -> new ArrayList<>()).add(decision);
            return this;
        }

        @Override
        public Map<String, ScalingDecision> latest() {
            Map<String, ScalingDecision> latest = new TreeMap<>();
            decisions.forEach((service, list) -> latest.put(service, list.get(list.size() - 1)));
            return latest;
        }

        @Override
        public Optional<ScalingDecision> latest(String service) {
            return Optional.ofNullable(latest().get(service));
        }

        @Override
        public List<ScalingDecision> history(String service, int limit) {
            List<ScalingDecision> list = decisions.getOrDefault(service, List.of());
            return List.copyOf(list.subList(Math.max(0, list.size() - limit), list.size()));
        }
    }
}
