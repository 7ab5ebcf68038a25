package io.gamewire.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gamewire.bus.EventSource;
import io.gamewire.ingest.Refusal;
import io.gamewire.routing.TopicPattern;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The windowed figures, on a clock the test steps. */
class TrafficStatsTest {

    private static final String END = "halo.prod.stats.match_end";
    private static final String KILL = "halo.prod.stats.kill";
    private static final String KART = "kart.prod.laps.lap";

    /** 2026-01-01T00:00:00Z plus a little, so that buckets do not start on the test's first second. */
    private final AtomicLong now = new AtomicLong(1_767_225_600_000L + 123);
    private final TrafficStats stats = new TrafficStats(
            new RoutingKeyLabels(() -> Set.of(END, KILL, KART), 500), now::get);

    private TrafficStats.Figures figures(String pattern, String window) {
        return stats.report(TopicPattern.parse(pattern), StatsWindow.parse(window), false).totals();
    }

    private void later(long seconds) {
        now.addAndGet(seconds * 1000);
    }

    @Test
    void countsEventsBySourceBytesDeadLettersAndRefusalsByCode() {
        stats.event(END, EventSource.HTTP, 100);
        stats.event(END, EventSource.TCP, 50);
        stats.event(END, EventSource.TCP, 50);
        stats.event(END, null, 10);
        stats.deadLetter(END);
        stats.refused(END, Refusal.INVALID_EVENT);
        stats.refused(END, Refusal.INVALID_EVENT);
        stats.refused(END, Refusal.RATE_LIMITED);

        TrafficStats.Figures end = figures(END, "1m");

        assertThat(end.events()).isEqualTo(4);
        assertThat(end.bySource()).containsExactly(java.util.Map.entry("http", 1L), java.util.Map.entry("tcp", 2L),
                java.util.Map.entry("pull", 0L), java.util.Map.entry("replay", 0L), java.util.Map.entry("console", 0L),
                java.util.Map.entry("other", 1L));
        assertThat(end.bytes()).isEqualTo(210);
        assertThat(end.deadLetters()).isEqualTo(1);
        assertThat(end.refusals()).isEqualTo(3);
        assertThat(end.refusalsByCode()).containsOnly(java.util.Map.entry("INVALID_EVENT", 2L),
                java.util.Map.entry("RATE_LIMITED", 1L));
    }

    @Test
    void aWindowSeesOnlyItsOwnSecondsAndMinutes() {
        stats.event(END, EventSource.HTTP, 1);
        later(20);
        stats.event(END, EventSource.HTTP, 1);
        later(50);
        stats.event(END, EventSource.HTTP, 1);

        assertThat(figures("#", "10s").events()).isEqualTo(1);
        assertThat(figures("#", "1m").events()).isEqualTo(2);
        assertThat(figures("#", "5m").events()).isEqualTo(3);

        later(20 * 60);
        assertThat(figures("#", "5m").events()).isZero();
        assertThat(figures("#", "15m").events()).isZero();
        assertThat(figures("#", "30m").events()).isEqualTo(3);
        later(45 * 60);
        assertThat(figures("#", "1h").events()).isZero();
    }

    @Test
    void aSecondsBucketIsReusedFiveMinutesLaterWithoutItsOldCounts() {
        stats.event(END, EventSource.HTTP, 1);
        stats.event(END, EventSource.HTTP, 1);
        later(TrafficStats.SECOND_SLOTS); // the same slot of the ring

        stats.event(END, EventSource.PULL, 1);

        TrafficStats.Figures figures = figures(END, "5m");
        assertThat(figures.events()).isEqualTo(1);
        assertThat(figures.bySource()).containsEntry("pull", 1L).containsEntry("http", 0L);
    }

    @Test
    void aSeriesHasOneCountPerSecondOldestFirstAndPerMinuteBeyondFiveMinutes() {
        stats.event(END, EventSource.HTTP, 1);
        later(1);
        stats.event(END, EventSource.HTTP, 1);
        stats.event(KILL, EventSource.HTTP, 1);
        later(2);
        stats.event(END, EventSource.HTTP, 1);

        TrafficStats.Report report = stats.report(TopicPattern.parse("halo.#"), StatsWindow.parse("10s"), true);

        assertThat(report.routingKeys()).extracting(TrafficStats.KeyFigures::routingKey).containsExactly(KILL, END);
        assertThat(report.routingKeys().get(1).figures().series()).hasSize(10).endsWith(1, 1, 0, 1);
        assertThat(report.totals().series()).endsWith(1, 2, 0, 1);

        TrafficStats.Report hour = stats.report(TopicPattern.all(), StatsWindow.parse("1h"), true);
        assertThat(hour.totals().series()).hasSize(60);
        assertThat(hour.totals().series()[59] + hour.totals().series()[58]).isEqualTo(4);
    }

    @Test
    void percentilesOfDelaysAreWithinTheHistogramsBoundAndTheMaxIsExact() {
        for (int delay = 1; delay <= 1000; delay++) {
            stats.stored(END, delay);
        }
        stats.stored(END, -5); // clocks apart: read as 0

        TrafficStats.Delays delays = figures(END, "1m").delays();

        assertThat(delays.count()).isEqualTo(1001);
        assertThat(delays.p50()).isCloseTo(500, within(500 * 0.091));
        assertThat(delays.p95()).isCloseTo(950, within(950 * 0.091));
        assertThat(delays.p99()).isCloseTo(990, within(990 * 0.091));
        assertThat(delays.max()).isEqualTo(1000);
        assertThat(figures(KILL, "1m").delays()).isEqualTo(new TrafficStats.Delays(0, null, null, null, null));
    }

    @Test
    void onlyDeclaredKeysUpToTheCapHaveFiguresOfTheirOwnAndOtherShowsOnlyUnderHash() {
        TrafficStats capped = new TrafficStats(new RoutingKeyLabels(() -> Set.of(END, KILL, KART), 2), now::get);
        capped.event(END, EventSource.HTTP, 1);
        capped.event(KILL, EventSource.HTTP, 1);
        capped.event(KART, EventSource.HTTP, 1); // past the cap
        capped.event("halo.prod.stats.random", EventSource.HTTP, 1); // declared by no title

        TrafficStats.Report all = capped.report(TopicPattern.all(), StatsWindow.parse("1m"), false);
        TrafficStats.Report halo = capped.report(TopicPattern.parse("halo.#"), StatsWindow.parse("1m"), false);

        assertThat(all.routingKeys()).extracting(TrafficStats.KeyFigures::routingKey)
                .containsExactly(KILL, END, RoutingKeyLabels.OTHER);
        assertThat(all.routingKeys().get(2).figures().events()).isEqualTo(2);
        assertThat(all.totals().events()).isEqualTo(4);
        assertThat(halo.routingKeys()).extracting(TrafficStats.KeyFigures::routingKey).containsExactly(KILL, END);
        assertThat(halo.totals().events()).isEqualTo(2);
    }

    @Test
    void windowsAreTenSecondsToAnHourInWholeMinutesAboveFiveAndRefusalsSayTheForm() {
        assertThat(StatsWindow.parse("30s").seconds()).isEqualTo(30);
        assertThat(StatsWindow.parse("1m").steps()).isEqualTo(60);
        assertThat(StatsWindow.parse("290s").stepSeconds()).isEqualTo(1);
        assertThat(StatsWindow.parse("15m").steps()).isEqualTo(15);
        assertThat(StatsWindow.parse("1h").stepSeconds()).isEqualTo(60);

        for (String bad : new String[] {"5s", "2h", "7x", "", "1.5m", "-1m", "301s", "99999999h"}) {
            assertThatThrownBy(() -> StatsWindow.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a window")
                    .hasMessageContaining("such as 30s, 1m, 15m or 1h, from 10s to 1h");
        }
    }
}
