package io.gamewire.capacity.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gamewire.capacity.archive.UsageArchive.Consolidation;
import io.gamewire.capacity.archive.UsageArchive.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RrdUsageArchiveTest {

    /** An hour boundary, so every resolution's rows line up with it. */
    static final long HOUR = 472_222L * 3_600;
    static final String SERVICE = "halo.prod.stats";
    static final String COMMAND = "halo.prod.stats.kill";

    @TempDir
    Path folder;
    RrdUsageArchive archive;

    @BeforeEach
    void open() throws Exception {
        archive = RrdUsageArchive.files(folder);
    }

    @AfterEach
    void close() throws Exception {
        archive.close();
    }

    @Test
    void tenSecondRowsHoldEachSample() throws Exception {
        for (int i = 1; i <= 6; i++) {
            archive.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(i, 2), COMMAND, UsageSample.ofCommand(i / 2.0)));
        }

        UsageSeries service = archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, HOUR + 10, HOUR + 60);
        assertThat(service.startEpochSecond()).isEqualTo(HOUR + 10);
        assertThat(service.stepSeconds()).isEqualTo(10);
        assertThat(service.rates()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(service.consumers()).containsOnly(2);
        UsageSeries command = archive.fetch(COMMAND, Resolution.TEN_SECONDS, Consolidation.MAX, HOUR + 10, HOUR + 60);
        assertThat(command.rates()).containsExactly(0.5, 1, 1.5, 2, 2.5, 3);
        assertThat(nans(command.consumers())).isEqualTo(6);
        assertThat(archive.series()).containsExactly(SERVICE, COMMAND);
        assertThat(archive.lastUpdate(SERVICE)).isEqualTo(HOUR + 60);
    }

    @Test
    void aMinuteRowConsolidatesSixSamplesAsAverageAndMax() throws Exception {
        for (int i = 1; i <= 6; i++) {
            archive.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(i, i)));
        }

        UsageSeries average = archive.fetch(SERVICE, Resolution.ONE_MINUTE, Consolidation.AVERAGE, HOUR + 60, HOUR + 60);
        UsageSeries max = archive.fetch(SERVICE, Resolution.ONE_MINUTE, Consolidation.MAX, HOUR + 60, HOUR + 60);
        assertThat(average.rates()).containsExactly(3.5);
        assertThat(average.consumers()).containsExactly(3.5);
        assertThat(max.rates()).containsExactly(6);
        assertThat(max.time(0)).isEqualTo(HOUR + 60);
    }

    @Test
    void anHourRowConsolidatesItsMinutes() throws Exception {
        for (int i = 1; i <= 360; i++) {
            archive.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(i == 100 ? 38 : 2, 1)));
        }

        UsageSeries average = archive.fetch(SERVICE, Resolution.ONE_HOUR, Consolidation.AVERAGE, HOUR + 3_600, HOUR + 3_600);
        UsageSeries max = archive.fetch(SERVICE, Resolution.ONE_HOUR, Consolidation.MAX, HOUR + 3_600, HOUR + 3_600);
        assertThat(average.rates()[0]).isCloseTo(2.1, within(1e-9));
        assertThat(max.rates()).containsExactly(38);
    }

    @Test
    void aMissedStepBeyondTheHeartbeatIsNaNNotSmeared() throws Exception {
        for (int i = 1; i <= 6; i++) {
            archive.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(4, 1)));
        }
        // nothing for 60 s: more than the heartbeat of three steps
        archive.update(HOUR + 120, Map.of(SERVICE, new UsageSample(4, 1)));
        archive.update(HOUR + 130, Map.of(SERVICE, new UsageSample(8, 1)));

        UsageSeries tens = archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, HOUR + 60, HOUR + 130);
        assertThat(tens.rates()[0]).isEqualTo(4);
        assertThat(nans(java.util.Arrays.copyOfRange(tens.rates(), 1, 7))).isEqualTo(6);
        assertThat(tens.rates()[7]).isEqualTo(8);
        UsageSeries minutes = archive.fetch(SERVICE, Resolution.ONE_MINUTE, Consolidation.AVERAGE, HOUR + 60, HOUR + 120);
        assertThat(minutes.rates()[0]).isEqualTo(4);
        assertThat(minutes.rates()[1]).isNaN();
    }

    @Test
    void rowsBeforeTheFirstSampleAndAfterTheLastAreNaN() throws Exception {
        archive.update(HOUR + 10, Map.of(SERVICE, new UsageSample(5, 1)));

        UsageSeries series = archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, HOUR - 20, HOUR + 40);
        assertThat(series.size()).isEqualTo(7);
        assertThat(series.rates()[3]).isEqualTo(5);
        assertThat(nans(series.rates())).isEqualTo(6);
    }

    @Test
    void aTimeNotAfterTheLastUpdateIsSkipped() throws Exception {
        archive.update(HOUR + 20, Map.of(SERVICE, new UsageSample(5, 1)));
        archive.update(HOUR + 20, Map.of(SERVICE, new UsageSample(9, 1)));
        archive.update(HOUR + 10, Map.of(SERVICE, new UsageSample(9, 1)));

        assertThat(archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.MAX, HOUR + 20, HOUR + 20).rates())
                .containsExactly(5);
        assertThatThrownBy(() -> archive.update(HOUR + 25, Map.of(SERVICE, new UsageSample(1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 10");
    }

    @Test
    void survivesCloseAndReopen() throws Exception {
        for (int i = 1; i <= 6; i++) {
            archive.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(i, 3)));
        }
        archive.close();

        archive = RrdUsageArchive.files(folder);
        assertThat(archive.series()).containsExactly(SERVICE);
        assertThat(archive.lastUpdate(SERVICE)).isEqualTo(HOUR + 60);
        assertThat(archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, HOUR + 10, HOUR + 60).rates())
                .containsExactly(1, 2, 3, 4, 5, 6);
        archive.update(HOUR + 70, Map.of(SERVICE, new UsageSample(7, 3)));
        assertThat(archive.lastUpdate(SERVICE)).isEqualTo(HOUR + 70);
    }

    @Test
    void theFileSizeIsFixed() throws Exception {
        archive.update(HOUR + 10, Map.of(SERVICE, new UsageSample(1, 1)));
        Path file = folder.resolve(SERVICE + ".rrd");
        long size = Files.size(file);
        for (int i = 2; i <= 500; i++) {
            archive.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(i, 1)));
        }

        assertThat(Files.size(file)).isEqualTo(size);
        // 2 data sources x 2 functions x (8,640 + 20,160 + 17,520) rows of 8 bytes, plus headers
        assertThat(size).isBetween(1_482_240L, 1_500_000L);
    }

    @Test
    void unknownOrMalformedSeriesAreRefused() throws Exception {
        assertThatThrownBy(() -> archive.fetch("halo.prod.none", Resolution.ONE_MINUTE, Consolidation.MAX, HOUR, HOUR))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(archive.lastUpdate("halo.prod.none")).isZero();
        assertThatThrownBy(() -> archive.update(HOUR, Map.of("../etc/passwd", new UsageSample(1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        archive.update(HOUR + 10, Map.of(SERVICE, new UsageSample(1, 1)));
        assertThat(archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.MAX, HOUR, HOUR + 86_400).size())
                .isEqualTo(8_641);
        assertThatThrownBy(() -> archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.MAX, HOUR,
                HOUR + 10_000_000L)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000001 rows");
    }

    static long nans(double[] values) {
        return java.util.Arrays.stream(values).filter(Double::isNaN).count();
    }
}
