package io.gamewire.capacity.plan;

import io.gamewire.capacity.CompressedClock;
import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.HoltWintersState;
import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageArchive.Consolidation;
import io.gamewire.capacity.archive.UsageArchive.Resolution;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.titles.model.CapacitySettings;
import io.gamewire.titles.model.ServiceDefinition;
import io.gamewire.titles.model.TitleDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-scaling of consumers: once a {@link #plan() plan} (every minute, route {@code capacity-plan}),
 * for each service of the titles in force whose title's {@code capacity.mode} is not {@code off}:
 * the forecast of its message rate (Holt-Winters over the usage archive's 1-minute AVERAGE rows,
 * warmed on first use from the last {@value #WARM_DAYS} days, then fed each new row), its upper band
 * at now + the lead time, what one consumer sustains (measured, else the title's
 * {@code consumer-rate}), and the {@link ScalingPolicy}'s count. In {@code act} the service's
 * container then runs exactly that count ({@link ConsumerControl#set}); in {@code recommend} the
 * decision is only logged, kept and exposed.
 *
 * <p>What one consumer sustains is measured from the events stored in a plan interval ÷ seconds ÷
 * consumers, smoothed (EWMA, weight {@value #RATE_WEIGHT} for the newest), only over intervals in
 * which the consumers were saturated (more than 5 s of their work waiting at both ends); see
 * {@link #measure}.
 *
 * <p>{@link #plan()} runs on one thread; {@link #stored} on any; the readers of {@link CapacityPlans}
 * on any.
 */
public final class CapacityPlanner implements CapacityPlans {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityPlanner.class);

    /** Days of 1-minute rows a new forecast is warmed with (the archive keeps 14). */
    static final int WARM_DAYS = 14;
    /** Weight of the newest measurement of what one consumer sustains. */
    static final double RATE_WEIGHT = 0.3;
    private static final long MINUTE = 60;

    /** Plans in a row without saturated consumers after which the measured rate is forgotten. */
    static final int FORGET_AFTER_PLANS = 60;
    private final Clock clock;
    /** How much faster than real time {@link #clock} runs: the backlog rule's windows are real time. */
    private final double clockSpeed;
    private final Supplier<Map<String, TitleDefinition>> titles;
    private final UsageArchive archive;
    private final ConsumerControl consumers;
    private final QueueBacklog backlog;
    private final MeterRegistry meters;
    private final int historySize;
    private final Map<String, ServicePlan> plans = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> storedCounts = new ConcurrentHashMap<>();

    /**
     * @param archive     the usage archive, or null: then no forecast, and every decision keeps the count
     * @param historySize decisions kept per service
     */
    public CapacityPlanner(Clock clock, Supplier<Map<String, TitleDefinition>> titles, UsageArchive archive,
                           ConsumerControl consumers, QueueBacklog backlog, MeterRegistry meters, int historySize) {
        if (historySize < 1) {
            throw new IllegalArgumentException("gamewire.capacity.history must be at least 1, not " + historySize);
        }
        this.clock = clock;
        this.clockSpeed = clock instanceof CompressedClock compressed ? compressed.speed() : 1;
        this.titles = titles;
        this.archive = archive;
        this.consumers = consumers;
        this.backlog = backlog;
        this.meters = meters;
        this.historySize = historySize;
    }

    /** An event of {@code service} ({@code title.env.service}) stored by this instance. */
    public void stored(String service) {
        storedCounts.computeIfAbsent(service, key -> new LongAdder()).increment();
    }

    /** One round: a decision for every planned service; services no longer in force leave. */
    public void plan() {
        Instant now = clock.instant();
        Map<String, Planned> inForce = inForce(titles.get());
        for (String service : List.copyOf(plans.keySet())) {
            Planned planned = inForce.get(service);
            if (planned == null || planned.settings().mode() == CapacitySettings.Mode.OFF) {
                drop(service, planned);
            }
        }
        storedCounts.keySet().retainAll(inForce.keySet());
        for (Planned planned : inForce.values()) {
            if (planned.settings().mode() == CapacitySettings.Mode.OFF) {
                continue;
            }
            try {
                plan(planned, now);
            } catch (RuntimeException e) {
                LOG.warn("capacity plan of {} failed: {}", planned.service(), e.toString(), e);
            }
        }
    }

    private void plan(Planned planned, Instant now) {
        ServicePlan plan = plans.computeIfAbsent(planned.service(), service -> new ServicePlan(service, meters));
        plan.refresh(planned);
        OptionalInt running = consumers.current(planned.service());
        int current = running.orElse(plan.lastCurrent);
        OptionalLong ready = backlog.ready(planned.service());
        // the forecast and the backlog are the whole bus's: each instance consuming the queue takes
        // its share of both (what this instance stored is its own already)
        int instances = instances(running, backlog.consumers(planned.service()));
        double arrived = measure(plan, now, running, ready, planned.settings().consumerRate(), instances);
        double upper = forecastUpper(plan, now);
        double consumerRate = plan.measuredRate > 0 ? plan.measuredRate : planned.settings().consumerRate();
        // a backlog the forecast did not foresee (a spike no season explains) counts too
        double waiting = ready.isPresent() ? (double) ready.getAsLong() / instances : 0;
        double demand = ScalingPolicy.demand(upper / instances, arrived, waiting, current, consumerRate, clockSpeed);
        ScalingPolicy.Target target = plan.policy.decide(now, current, demand, consumerRate);
        CapacityMode mode = CapacityMode.valueOf(planned.settings().mode().name());
        boolean applied = false;
        String reason = target.reason();
        if (Double.compare(demand, upper / instances) != 0) {
            reason = String.format("%d messages waiting, more than %d s of the running consumers' work: demand"
                    + " %.1f msg/s (arriving %.1f + the backlog drained within %d s) over the band's %.1f; ",
                    ready.orElse(0), ScalingPolicy.BEHIND_SECONDS, demand, arrived, ScalingPolicy.DRAIN_SECONDS,
                    upper) + reason;
        }
        if (instances > 1) {
            reason = String.format("this instance's share of %d instances consuming the queue: ", instances) + reason;
        }
        if (mode == CapacityMode.ACT) {
            if (running.isEmpty()) {
                reason += "; not applied: no listener container consumes " + planned.service() + " here";
            } else {
                // every plan, not only on a change: a route started again (title reload) has a new
                // container with the range min..max, which must be pinned again; the same values
                // again change nothing in a running container
                boolean set = consumers.set(planned.service(), target.consumers());
                plan.pinned = set;
                applied = set && target.consumers() != current;
                if (!set) {
                    reason += "; not applied: the listener container has gone";
                }
            }
        } else if (plan.pinned) {
            // act → recommend: the container scales by Spring's rules again
            consumers.release(planned.service(), planned.min(), planned.max());
            plan.pinned = false;
        }
        Instant forecastAt = now.plus(plan.policy.lead());
        ScalingDecision decision = new ScalingDecision(planned.service(), now, mode, current, target.consumers(),
                applied, upper, forecastAt, consumerRate, reason);
        ScalingDecision previous = plan.latest;
        plan.record(decision, historySize);
        plan.lastCurrent = applied ? target.consumers() : current;
        plan.decisions(applied).increment();
        if (applied || previous == null || previous.planned() != decision.planned()) {
            LOG.info("capacity {} [{}]: {} consumers planned, {} running{}: {}", planned.service(),
                    mode.name().toLowerCase(java.util.Locale.ROOT), decision.planned(), current,
                    applied ? ", applied" : "", reason);
        } else {
            LOG.debug("capacity {} [{}]: {} consumers planned, {} running: {}", planned.service(),
                    mode.name().toLowerCase(java.util.Locale.ROOT), decision.planned(), current, reason);
        }
    }

    /**
     * How many instances consume the queue: its consumers on the broker ÷ this instance's, rounded,
     * at least 1; 1 when either is unknown. The broker's figure is the queue watch's last poll, so
     * right after a change it may be one poll behind, and the share too for one plan.
     */
    static int instances(OptionalInt running, OptionalInt onBroker) {
        if (running.isEmpty() || onBroker.isEmpty() || running.getAsInt() < 1) {
            return 1;
        }
        return Math.max(1, (int) Math.round((double) onBroker.getAsInt() / running.getAsInt()));
    }

    /**
     * Updates what one consumer sustains from the events stored since the last plan; returns the
     * rate that arrived meanwhile (stored plus the backlog's growth, messages a second; 0 on the
     * first plan).
     *
     * <p>It is measured only when the consumers were saturated: more than
     * {@value ScalingPolicy#BEHIND_SECONDS} s of their work (at the rate known so far) waited both at
     * the last plan and now, so they took messages as fast as they could the whole interval. A
     * standing queue of a few messages between batches is not that: the consumers then take only
     * what arrives, and that divided by more consumers would look like slower consumers, asking for
     * more of them again. Nor is a short interval in which they caught up with a burst: taking such
     * highs only would ratchet the figure up on the noise of batch commits. After
     * {@value #FORGET_AFTER_PLANS} plans in a row without saturation the figure is forgotten and the
     * title's stands again, so a slow spell (a slow database) does not keep the count high for good.
     * With other instances on the queue, this instance's share of the backlog ({@code instances})
     * is what its consumers face.
     */
    private double measure(ServicePlan plan, Instant now, OptionalInt running, OptionalLong ready,
            double titleRate, int instances) {
        long stored = Optional.ofNullable(storedCounts.get(plan.service)).map(LongAdder::sum).orElse(0L);
        double seconds = plan.lastPlanAt == null ? 0 : Duration.between(plan.lastPlanAt, now).toMillis() / 1000.0;
        double arrived = 0;
        // this instance's share of the queue's growth
        double grown = ready.isPresent() && plan.readyAtLastPlan >= 0
                ? (double) (ready.getAsLong() - plan.readyAtLastPlan) / instances : 0;
        if (seconds > 0) {
            arrived = Math.max(0, (stored - plan.storedAtLastPlan + grown) / seconds);
        }
        if (seconds > 0 && running.isPresent() && running.getAsInt() > 0) {
            double perConsumer = (stored - plan.storedAtLastPlan) / seconds / running.getAsInt();
            double known = plan.measuredRate > 0 ? plan.measuredRate : titleRate;
            boolean saturated = ready.isPresent()
                    && ScalingPolicy.behind((double) plan.readyAtLastPlan / instances, running.getAsInt(), known, clockSpeed)
                    && ScalingPolicy.behind((double) ready.getAsLong() / instances, running.getAsInt(), known, clockSpeed);
            plan.plansUnsaturated = saturated ? 0 : plan.plansUnsaturated + 1;
            if (plan.plansUnsaturated >= FORGET_AFTER_PLANS) {
                // a slow hour long gone must not keep the figure low for good: back to the title's
                plan.measuredRate = Double.NaN;
            }
            if (perConsumer > 0 && saturated) {
                plan.measuredRate = plan.measuredRate > 0
                        ? RATE_WEIGHT * perConsumer + (1 - RATE_WEIGHT) * plan.measuredRate
                        : perConsumer;
            }
        }
        plan.lastPlanAt = now;
        plan.storedAtLastPlan = stored;
        plan.readyAtLastPlan = ready.orElse(-1);
        return arrived;
    }

    /**
     * The highest upper band from the next step to now + lead, NaN without an archive, data or a
     * forecast that far yet.
     */
    private double forecastUpper(ServicePlan plan, Instant now) {
        if (archive == null) {
            plan.upper = Double.NaN;
            return Double.NaN;
        }
        try {
            long lastUpdate = archive.lastUpdate(plan.service);
            if (lastUpdate <= 0) {
                plan.upper = Double.NaN;
                return Double.NaN;
            }
            // only complete rows: up to the last update, to the minute
            long endMinute = Math.min(lastUpdate, now.getEpochSecond()) / MINUTE;
            if (plan.forecast == null || plan.nextMinute == 0) {
                plan.forecast = new HoltWintersState(plan.parameters);
                long from = endMinute - WARM_DAYS * 1440L;
                // step 0 on a season boundary, so slot s is the same time of day (or week) every season
                plan.nextMinute = Math.floorDiv(from, plan.parameters.seasonLength()) * plan.parameters.seasonLength();
            }
            if (endMinute >= plan.nextMinute) {
                UsageSeries rows = archive.fetch(plan.service, Resolution.ONE_MINUTE, Consolidation.AVERAGE,
                        plan.nextMinute * MINUTE - MINUTE, endMinute * MINUTE);
                for (int i = 0; i < rows.size(); i++) {
                    long minute = rows.time(i) / MINUTE;
                    if (minute < plan.nextMinute || minute > endMinute) {
                        continue;
                    }
                    while (plan.nextMinute < minute) {
                        plan.forecast.update(Double.NaN);
                        plan.nextMinute++;
                    }
                    plan.forecast.update(rows.rates()[i]);
                    plan.nextMinute++;
                }
            }
            long leadMinutes = Math.max(1, (plan.policy.lead().toSeconds() + MINUTE - 1) / MINUTE);
            long nowMinute = now.getEpochSecond() / MINUTE;
            long stepsAhead = Math.max(1, nowMinute + leadMinutes - (plan.nextMinute - 1));
            double upper = ScalingPolicy.highestUpperBand(plan.forecast, Math.toIntExact(stepsAhead));
            plan.upper = upper;
            return upper;
        } catch (IOException | NoSuchElementException e) {
            LOG.debug("no forecast for {}: {}", plan.service, e.toString());
            plan.upper = Double.NaN;
            return Double.NaN;
        }
    }

    private void drop(String service, Planned planned) {
        ServicePlan plan = plans.remove(service);
        storedCounts.remove(service);
        if (plan == null) {
            return;
        }
        if (plan.pinned && planned != null) {
            // act → off: the container scales by Spring's rules again
            consumers.release(service, planned.min(), planned.max());
        }
        plan.removeMeters(meters);
    }

    @Override
    public Map<String, ScalingDecision> latest() {
        Map<String, ScalingDecision> latest = new LinkedHashMap<>();
        plans.values().stream().sorted(java.util.Comparator.comparing(p -> p.service))
                .forEach(plan -> Optional.ofNullable(plan.latest).ifPresent(d -> latest.put(plan.service, d)));
        return latest;
    }

    @Override
    public Optional<ScalingDecision> latest(String service) {
        return Optional.ofNullable(plans.get(service)).map(plan -> plan.latest);
    }

    @Override
    public List<ScalingDecision> history(String service, int limit) {
        ServicePlan plan = plans.get(service);
        if (plan == null || limit < 1) {
            return List.of();
        }
        synchronized (plan.history) {
            List<ScalingDecision> all = new ArrayList<>(plan.history);
            return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
        }
    }

    /** The services of the titles in force, by {@code title.env.service}. */
    private static Map<String, Planned> inForce(Map<String, TitleDefinition> titles) {
        Map<String, Planned> services = new LinkedHashMap<>();
        for (TitleDefinition title : titles.values()) {
            for (String env : title.environments()) {
                for (ServiceDefinition service : title.services().values()) {
                    String key = title.title() + "." + env + "." + service.name();
                    services.put(key, new Planned(key, service.minConsumers(), service.maxConsumers(),
                            title.capacity()));
                }
            }
        }
        return services;
    }

    /** The forecast parameters of a title's settings, a season of 1-minute steps. */
    public static HoltWintersParameters parameters(CapacitySettings settings) {
        int season = Math.toIntExact(settings.season().length().toMinutes());
        return new HoltWintersParameters(settings.alpha(), settings.beta(), settings.gamma(), settings.gamma(),
                settings.delta(), settings.threshold(), settings.window(), season);
    }

    private record Planned(String service, int min, int max, CapacitySettings settings) {
    }

    /** One service's planning state; changed only on the planner's thread. */
    private static final class ServicePlan {

        private final String service;
        private final Deque<ScalingDecision> history = new ArrayDeque<>();
        private final List<Meter> meters = new ArrayList<>();
        private final Counter appliedDecisions;
        private final Counter keptDecisions;
        private ScalingPolicy policy;
        private HoltWintersParameters parameters;
        private HoltWintersState forecast;
        /** The next 1-minute row (epoch minute) the forecast is to be fed; 0 before the warm-up. */
        private long nextMinute;
        private double measuredRate = Double.NaN;
        /** Plans in a row without saturated consumers. */
        private int plansUnsaturated;
        private Instant lastPlanAt;
        private long storedAtLastPlan;
        /** Messages ready at the last plan, -1 when unknown. */
        private long readyAtLastPlan = -1;
        private boolean pinned;
        private volatile int lastCurrent = 1;
        private volatile double upper = Double.NaN;
        private volatile ScalingDecision latest;

        ServicePlan(String service, MeterRegistry registry) {
            this.service = service;
            meters.add(Gauge.builder("gamewire.capacity.consumers", this, p -> p.lastCurrent)
                    .description("consumers of a service in this instance: running (current) and as the capacity plan"
                            + " wants them (planned)")
                    .tags("service", service, "kind", "current").register(registry));
            meters.add(Gauge.builder("gamewire.capacity.consumers", this,
                            p -> p.latest == null ? Double.NaN : p.latest.planned())
                    .description("consumers of a service in this instance: running (current) and as the capacity plan"
                            + " wants them (planned)")
                    .tags("service", service, "kind", "planned").register(registry));
            meters.add(Gauge.builder("gamewire.capacity.forecast.upper", this, p -> p.upper)
                    .description("the forecast's upper band at now + lead, messages a second")
                    .tags("service", service).register(registry));
            appliedDecisions = decisionCounter(registry, service, true);
            keptDecisions = decisionCounter(registry, service, false);
            meters.add(appliedDecisions);
            meters.add(keptDecisions);
        }

        private static Counter decisionCounter(MeterRegistry registry, String service, boolean applied) {
            return Counter.builder("gamewire.capacity.decisions")
                    .description("capacity plan decisions, applied (the consumer count changed) or not")
                    .tags("service", service, "applied", Boolean.toString(applied)).register(registry);
        }

        Counter decisions(boolean applied) {
            return applied ? appliedDecisions : keptDecisions;
        }

        /** A new policy when the service's limits or timing changed, a new forecast when its parameters did. */
        void refresh(Planned planned) {
            CapacitySettings settings = planned.settings();
            if (policy == null || policy.min() != planned.min() || policy.max() != planned.max()
                    || !policy.lead().equals(settings.lead()) || !policy.coolDown().equals(settings.coolDown())) {
                policy = new ScalingPolicy(planned.min(), planned.max(), settings.lead(), settings.coolDown());
            }
            HoltWintersParameters wanted = parameters(settings);
            if (!wanted.equals(parameters)) {
                parameters = wanted;
                forecast = null;
                nextMinute = 0;
            }
        }

        void record(ScalingDecision decision, int limit) {
            synchronized (history) {
                history.addLast(decision);
                while (history.size() > limit) {
                    history.removeFirst();
                }
            }
            latest = decision;
        }

        void removeMeters(MeterRegistry registry) {
            meters.forEach(registry::remove);
        }
    }
}
