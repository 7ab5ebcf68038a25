package io.gamewire.admin.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.capacity.HoltWintersParameters;
import io.gamewire.capacity.archive.UsageSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report over a known daily series: now, the peak ahead and when, aberrations, the latest decision. */
class CapacityReportTest {

    private static final HoltWintersParameters DAILY = HoltWintersParameters.daily(Duration.ofMinutes(1));
    private static final String SERVICE = "halo.prod.stats";

    @Test
    void findsTheForecastPeakAtTheSeasonsHighestTime() {
        UsageSeries series = CapacityFakes.periodic(SERVICE, 4, 1);

        CapacityReport report = CapacityReport.compute(SERVICE, series, DAILY, 24 * 60, List.of());

        Instant now = Instant.ofEpochSecond(CapacityFakes.MIDNIGHT).plus(Duration.ofDays(4));
        assertThat(report.now()).isEqualTo(now);
        assertThat(report.ahead()).hasSize(24 * 60);
        assertThat(report.ahead().get(0).at()).isEqualTo(now.plusSeconds(60));
        Instant expectedPeak = now.plus(Duration.ofHours(20));
        assertThat(Duration.between(expectedPeak, report.peak().at()).abs()).isLessThan(Duration.ofMinutes(20));
        assertThat(report.peak().prediction()).isBetween(180.0, 220.0);
        assertThat(report.peak().upper()).isGreaterThan(report.peak().prediction());
    }

    @Test
    void nowIsTheLatestKnownRateAndTheConsumersItsCount() {
        UsageSeries full = CapacityFakes.periodic(SERVICE, 3, 2);
        double[] rates = full.rates().clone();
        Arrays.fill(rates, rates.length - 5, rates.length, Double.NaN); // the archive's rows not written yet

        CapacityReport report = CapacityReport.compute(SERVICE,
                new UsageSeries(SERVICE, full.startEpochSecond(), 60, rates, full.consumers()), DAILY, 60, List.of());

        assertThat(report.now()).isEqualTo(Instant.ofEpochSecond(full.time(rates.length - 6)));
        assertThat(report.currentRate()).isEqualTo(rates[rates.length - 6]);
        assertThat(report.currentConsumers()).isEqualTo(2.0);
        assertThat(report.nowPoint().prediction()).isBetween(report.currentRate() * 0.9, report.currentRate() * 1.1);
    }

    @Test
    void flagsAnInjectedSpikeAsAnAberration() {
        UsageSeries series = CapacityFakes.periodic(SERVICE, 4, 3);
        int spike = 3 * 1440 + 10 * 60; // day 3, 10:00
        for (int t = spike; t < spike + 30; t++) {
            series.rates()[t] *= 2;
        }

        CapacityReport report = CapacityReport.compute(SERVICE, series, DAILY, 60, List.of());

        assertThat(report.aberrations()).anySatisfy(aberration -> assertThat(aberration.startEpochSecond())
                .isBetween(series.time(spike), series.time(spike + 30)));
        assertThat(report.aberrations()).allSatisfy(aberration ->
                assertThat(aberration.endEpochSecond()).isGreaterThanOrEqualTo(aberration.startEpochSecond()));
    }

    @Test
    void theLatestDecisionIsTheNewestOfTheHistory() {
        UsageSeries series = CapacityFakes.periodic(SERVICE, 3, 4);
        Instant at = Instant.ofEpochSecond(series.time(series.size() - 1));

        CapacityReport report = CapacityReport.compute(SERVICE, series, DAILY, 60, List.of(
                CapacityFakes.decision(SERVICE, at.minusSeconds(60), 2, 2), CapacityFakes.decision(SERVICE, at, 2, 4)));

        assertThat(report.latest()).hasValueSatisfying(decision -> assertThat(decision.planned()).isEqualTo(4));
        assertThat(report.history()).hasSize(2);
    }

    @Test
    void withinTheFirstSeasonThereIsNoForecastYet() {
        UsageSeries day = CapacityFakes.periodic(SERVICE, 1, 5);
        UsageSeries series = new UsageSeries(SERVICE, day.startEpochSecond(), 60,
                Arrays.copyOf(day.rates(), 1439), Arrays.copyOf(day.consumers(), 1439));

        CapacityReport report = CapacityReport.compute(SERVICE, series, DAILY, 60, List.of());

        assertThat(report.peak()).isNull();
        assertThat(report.ahead()).isEmpty();
        assertThat(report.currentRate()).isEqualTo(series.rates()[series.size() - 1]);
    }

    @Test
    void anEmptySeriesHasNoNow() {
        UsageSeries empty = new UsageSeries(SERVICE, CapacityFakes.MIDNIGHT, 60, new double[] {Double.NaN},
                new double[] {Double.NaN});

        CapacityReport report = CapacityReport.compute(SERVICE, empty, DAILY, 60, List.of());

        assertThat(report.nowPoint()).isNull();
        assertThat(report.currentRate()).isNaN();
        assertThat(report.currentConsumers()).isNaN();
        assertThat(report.peak()).isNull();
    }
}
