package io.gamewire.capacity.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.capacity.archive.UsageArchive;
import io.gamewire.capacity.archive.UsageSample;
import io.gamewire.capacity.archive.UsageSeries;
import io.gamewire.testsupport.MutableClock;
import io.gamewire.titles.TitleFileParser;
import io.gamewire.titles.model.TitleDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {

    private static final String SERVICE = "t.prod.s";
    /** 20:03 on the 15th day of the archive. */
    private static final Instant NOW = Instant.parse("2026-12-15T20:03:30Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final FakeConsumers consumers = new FakeConsumers();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private Map<String, TitleDefinition> titles = Map.of();

    private void title(String mode) {
        title(mode, 8);
    }

    private void title(String mode, int max) {
        String yaml = """
                title: t
                environments: [prod]
                capacity: {mode: %s, consumer-rate: 100}
                services:
                  s:
                    consumers: {min: 1, max: %d}
                    commands:
                      c:
                """.formatted(mode, max);
        TitleFileParser.Result result = new TitleFileParser().parse(Path.of("t.yaml"), yaml);
        assertThat(result.problems()).isEmpty();
        titles = Map.of("t", result.definition());
    }

    private CapacityPlanner planner(UsageArchive archive, QueueBacklog backlog) {
        return new CapacityPlanner(clock, () -> titles, archive, consumers, backlog, meters, 3);
    }

    @Test
    void offPlansNothingAndChangesNothing() {
        title("off");
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);

        planner.plan();

        assertThat(planner.latest()).isEmpty();
        assertThat(consumers.calls).isEmpty();
        assertThat(meters.find("gamewire.capacity.consumers").gauges()).isEmpty();
    }

    @Test
    void recommendRecordsTheDecisionAndLeavesTheCount() {
        title("recommend");
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);

        planner.plan();

        ScalingDecision decision = planner.latest(SERVICE).orElseThrow();
        assertThat(decision.mode()).isEqualTo(CapacityMode.RECOMMEND);
        assertThat(decision.current()).isEqualTo(1);
        assertThat(decision.applied()).isFalse();
        // the daily trace peaks near 300 msg/s at 20:00 and the band is above it: 4 consumers of 100 msg/s
        assertThat(decision.forecastUpper()).isBetween(300.0, 400.0);
        assertThat(decision.planned()).isEqualTo((int) Math.ceil(decision.forecastUpper() / 100));
        assertThat(decision.forecastAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(decision.reason()).contains("up from 1");
        assertThat(consumers.calls).isEmpty();
        assertThat(consumers.running).isEqualTo(1);
        assertThat(meters.get("gamewire.capacity.consumers").tags("service", SERVICE, "kind", "planned").gauge()
                .value()).isEqualTo(decision.planned());
        assertThat(meters.get("gamewire.capacity.decisions").tags("service", SERVICE, "applied", "false").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void actSetsTheContainerToThePlannedCount() {
        title("act");
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);

        planner.plan();

        ScalingDecision decision = planner.latest(SERVICE).orElseThrow();
        assertThat(decision.applied()).isTrue();
        assertThat(consumers.calls).containsExactly("set " + decision.planned());
        assertThat(consumers.running).isEqualTo(decision.planned());
        assertThat(meters.get("gamewire.capacity.decisions").tags("service", SERVICE, "applied", "true").counter()
                .count()).isEqualTo(1);

        // a minute on, the same count: set again (a restarted route's new container is pinned so), not applied
        clock.now = NOW.plusSeconds(60);
        planner.plan();
        assertThat(consumers.calls).containsExactly("set " + decision.planned(), "set " + decision.planned());
        assertThat(planner.latest(SERVICE).orElseThrow().applied()).isFalse();
        assertThat(planner.history(SERVICE, 10)).hasSize(2);
    }

    @Test
    void withOtherInstancesOnTheQueueEachTakesItsShareOfTheDemand() {
        title("act");
        CapacityPlanner alone = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);
        alone.plan();
        ScalingDecision whole = alone.latest(SERVICE).orElseThrow();

        consumers.calls.clear();
        consumers.running = 1;
        // the broker counts 3 consumers on the queue, this instance runs 1: three instances
        CapacityPlanner shared = planner(FakeArchive.daily(NOW), new QueueBacklog() {
            @Override
            public OptionalLong ready(String queue) {
                return OptionalLong.of(0);
            }

            @Override
            public OptionalInt consumers(String queue) {
                return OptionalInt.of(3);
            }
        });
        shared.plan();

        ScalingDecision share = shared.latest(SERVICE).orElseThrow();
        assertThat(share.forecastUpper()).isEqualTo(whole.forecastUpper());
        assertThat(share.planned()).isEqualTo((int) Math.ceil(whole.forecastUpper() / 3 / 100));
        assertThat(share.reason()).startsWith("this instance's share of 3 instances consuming the queue: ");
    }

    @Test
    void theInstancesAreTheBrokersConsumersOverThisInstancesRounded() {
        assertThat(CapacityPlanner.instances(OptionalInt.of(2), OptionalInt.of(6))).isEqualTo(3);
        assertThat(CapacityPlanner.instances(OptionalInt.of(4), OptionalInt.of(7))).isEqualTo(2);
        assertThat(CapacityPlanner.instances(OptionalInt.of(4), OptionalInt.of(1))).isEqualTo(1);
        assertThat(CapacityPlanner.instances(OptionalInt.empty(), OptionalInt.of(6))).isEqualTo(1);
        assertThat(CapacityPlanner.instances(OptionalInt.of(2), OptionalInt.empty())).isEqualTo(1);
    }

    @Test
    void actThenRecommendGivesTheContainerBackItsRange() {
        title("act");
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);
        planner.plan();
        title("recommend");

        planner.plan();

        assertThat(consumers.calls).last().isEqualTo("release 1..8");
    }

    @Test
    void withoutAnArchiveTheCountIsKept() {
        title("act");
        consumers.running = 3;
        CapacityPlanner planner = planner(null, QueueBacklog.UNKNOWN);

        planner.plan();

        ScalingDecision decision = planner.latest(SERVICE).orElseThrow();
        assertThat(decision.planned()).isEqualTo(3);
        assertThat(decision.forecastUpper()).isNaN();
        assertThat(decision.reason()).startsWith("no forecast yet: keeping 3");
        // pinned to what it runs, so Spring's own scaling stops
        assertThat(consumers.calls).containsExactly("set 3");
        assertThat(decision.applied()).isFalse();
    }

    @Test
    void aBacklogTheForecastDidNotForeseeRaisesTheCount() {
        title("act");
        // no forecast at all; 30,000 waiting is far more than 5 s of one consumer's 100 msg/s
        CapacityPlanner planner = planner(null, queue -> OptionalLong.of(30_000));

        planner.plan();

        ScalingDecision decision = planner.latest(SERVICE).orElseThrow();
        // drained within 60 s: 500 msg/s, 5 consumers
        assertThat(decision.planned()).isEqualTo(5);
        assertThat(decision.forecastUpper()).isNaN();
        assertThat(decision.reason()).startsWith("30000 messages waiting, more than 5 s of the running consumers'"
                + " work: demand 500.0 msg/s (arriving 0.0 + the backlog drained within 60 s) over the band's NaN; ");
        assertThat(consumers.calls).containsExactly("set 5");
    }

    @Test
    void theConsumerRateIsMeasuredOnlyWhileTheConsumersAreSaturated() {
        title("recommend");
        consumers.running = 2;
        long[] ready = {500};
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), queue -> OptionalLong.of(ready[0]));
        planner.plan();
        // a standing queue of 500 to 600, 1200 stored in a minute: less than 5 s of two consumers'
        // work (1000 at the title's 100 msg/s) waits, they take what arrives, nothing is measured
        ready[0] = 600;
        storeAndPlan(planner, 1_200, 60);
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(100.0); // the title's

        // past 1000 at one end only: not yet saturated the whole interval
        ready[0] = 1_500;
        storeAndPlan(planner, 6_000, 120);
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(100.0);

        // past it at both ends: 6000 in 60 s by 2 consumers, the first measure
        ready[0] = 2_000;
        storeAndPlan(planner, 6_000, 180);
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(50.0);

        // caught up (the queue empty): a burst taken fast says nothing of what they sustain
        ready[0] = 0;
        storeAndPlan(planner, 9_000, 240);
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(50.0);

        // saturated again, faster: 7200 in 60 s by 2 is 60 a consumer, weighed in (0.3)
        ready[0] = 3_000;
        storeAndPlan(planner, 0, 300);
        ready[0] = 3_500;
        storeAndPlan(planner, 7_200, 360);
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isCloseTo(53.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aMeasuredRateIsForgottenAfterAnHourOfPlansWithoutSaturation() {
        title("recommend");
        consumers.running = 2;
        long[] ready = {2_000};
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), queue -> OptionalLong.of(ready[0]));
        planner.plan();
        storeAndPlan(planner, 6_000, 60); // saturated: 50 a consumer
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(50.0);

        ready[0] = 0;
        for (int plan = 1; plan < CapacityPlanner.FORGET_AFTER_PLANS; plan++) {
            storeAndPlan(planner, 100, 60 + 60L * plan);
        }
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(50.0);
        storeAndPlan(planner, 100, 60 + 60L * CapacityPlanner.FORGET_AFTER_PLANS);
        assertThat(planner.latest(SERVICE).orElseThrow().consumerRate()).isEqualTo(100.0); // the title's again
    }

    private void storeAndPlan(CapacityPlanner planner, int stored, long atSeconds) {
        for (int i = 0; i < stored; i++) {
            planner.stored(SERVICE);
        }
        clock.now = NOW.plusSeconds(atSeconds);
        planner.plan();
    }

    @Test
    void theHistoryIsBoundedAndADroppedServiceLeaves() {
        title("recommend");
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);
        for (int i = 0; i < 5; i++) {
            clock.now = NOW.plusSeconds(60L * i);
            planner.plan();
        }
        assertThat(planner.history(SERVICE, 10)).hasSize(3);
        assertThat(planner.history(SERVICE, 1).get(0).at()).isEqualTo(NOW.plusSeconds(240));

        titles = Map.of();
        planner.plan();

        assertThat(planner.latest()).isEmpty();
        assertThat(planner.history(SERVICE, 10)).isEmpty();
        assertThat(meters.find("gamewire.capacity.consumers").gauges()).isEmpty();
        assertThat(meters.find("gamewire.capacity.decisions").counters()).isEmpty();
    }

    @Test
    void aNewLimitIsTakenAtTheNextPlan() {
        title("act");
        CapacityPlanner planner = planner(FakeArchive.daily(NOW), QueueBacklog.UNKNOWN);
        planner.plan();
        title("act", 2);
        clock.now = NOW.plusSeconds(60);

        planner.plan();

        assertThat(planner.latest(SERVICE).orElseThrow().planned()).isEqualTo(2);
        assertThat(consumers.running).isEqualTo(2);
    }

    /** A daily trace: 200 msg/s ± 100 peaking at 20:00 UTC, noise ±5, 14 days to {@code now}. */
    static final class FakeArchive implements UsageArchive {

        private final long start;
        private final double[] rates;
        private final long lastUpdate;

        private FakeArchive(long start, double[] rates) {
            this.start = start;
            this.rates = rates;
            this.lastUpdate = start + (rates.length - 1) * 60L;
        }

        static FakeArchive daily(Instant now) {
            long end = now.getEpochSecond() / 60 * 60;
            int rows = 14 * 1440;
            long start = end - (rows - 1) * 60L;
            double[] rates = new double[rows];
            Random noise = new Random(7);
            for (int i = 0; i < rows; i++) {
                long minuteOfDay = ((start + i * 60L) / 60) % 1440;
                double phase = 2 * Math.PI * (minuteOfDay - 20 * 60 + 360) / 1440.0;
                rates[i] = 200 + 100 * Math.sin(phase) + (noise.nextDouble() - 0.5) * 10;
            }
            return new FakeArchive(start, rates);
        }

        @Override
        public void update(long epochSecond, Map<String, UsageSample> samples) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UsageSeries fetch(String series, Resolution resolution, Consolidation consolidation,
                                 long startEpochSecond, long endEpochSecond) {
            if (!series.equals(SERVICE)) {
                throw new NoSuchElementException(series);
            }
            long first = Math.max(start, (startEpochSecond + 59) / 60 * 60);
            long last = Math.min(lastUpdate, endEpochSecond / 60 * 60);
            int count = (int) Math.max(0, (last - first) / 60 + 1);
            double[] out = new double[count];
            double[] consumers = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = rates[(int) ((first - start) / 60) + i];
                consumers[i] = 1;
            }
            return new UsageSeries(series, first, 60, out, consumers);
        }

        @Override
        public Set<String> series() {
            return Set.of(SERVICE);
        }

        @Override
        public long lastUpdate(String series) {
            return series.equals(SERVICE) ? lastUpdate : 0;
        }

        @Override
        public void close() {
        }
    }

    static final class FakeConsumers implements ConsumerControl {

        final List<String> calls = new ArrayList<>();
        int running = 1;

        @Override
        public OptionalInt current(String queue) {
            return queue.equals(SERVICE) ? OptionalInt.of(running) : OptionalInt.empty();
        }

        @Override
        public boolean set(String queue, int consumers) {
            calls.add("set " + consumers);
            running = consumers;
            return true;
        }

        @Override
        public boolean release(String queue, int min, int max) {
            calls.add("release " + min + ".." + max);
            return true;
        }
    }

}
