package io.gamewire.capacity.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.capacity.archive.RrdUsageArchive;
import io.gamewire.capacity.archive.UsageArchive.Consolidation;
import io.gamewire.capacity.archive.UsageArchive.Resolution;
import io.gamewire.capacity.archive.UsageSample;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.testsupport.MutableClock;
import io.gamewire.testsupport.StackTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The sampler over the real counter table, on H2 and MySQL/MariaDB ({@code -Pservices}). */
class UsageSamplerTest {

    static final String SERVICE = "halo.prod.stats";
    static final String COMMAND = "halo.prod.stats.kill";
    /** A step boundary, plus 3 s: the sampler floors to the step. */
    static final Instant START = Instant.ofEpochSecond(1_700_000_000L + 3);

    @TempDir
    Path folder;
    MutableClock clock = new MutableClock(START);
    UsageCounterTable table;
    RrdUsageArchive archive;
    UsageSampler sampler;

    @BeforeEach
    void setUp(HikariDataSource dataSource) throws Exception {
        SchemaMigrator.migrate(dataSource);
        table = new UsageCounterTable(dataSource);
        archive = RrdUsageArchive.files(folder);
        sampler = new UsageSampler(archive, table, () -> List.of(SERVICE, COMMAND), series -> 3, clock);
    }

    @AfterEach
    void close() throws Exception {
        archive.close();
    }

    @StackTest
    void theRateIsTheSumOverInstancesPerSecondSinceThePreviousStep() throws Exception {
        table.publish("a", Map.of(SERVICE, 100L, COMMAND, 40L), clock.millis());
        table.publish("b", Map.of(SERVICE, 50L), clock.millis());
        Map<String, UsageSample> first = sampler.sample();

        table.publish("a", Map.of(SERVICE, 300L, COMMAND, 90L), clock.millis());
        table.publish("b", Map.of(SERVICE, 150L), clock.millis());
        clock.advance(Duration.ofSeconds(10));
        Map<String, UsageSample> second = sampler.sample();

        // no previous reading: the rate is unknown, the consumers are not
        assertThat(first.get(SERVICE).rate()).isNaN();
        assertThat(first.get(SERVICE).consumers()).isEqualTo(3);
        assertThat(second.get(SERVICE)).isEqualTo(new UsageSample(30, 3));
        assertThat(second.get(COMMAND).rate()).isEqualTo(5);
        assertThat(second.get(COMMAND).consumers()).isNaN();
        long time = 1_700_000_010L;
        assertThat(archive.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, time, time).rates())
                .containsExactly(30);
        assertThat(archive.lastUpdate(COMMAND)).isEqualTo(time);
    }

    @StackTest
    void aSumThatWentDownBecauseRowsWerePrunedIsNaNForThatStep() throws Exception {
        table.publish("a", Map.of(SERVICE, 100L), clock.millis());
        sampler.sample();
        clock.advance(Duration.ofSeconds(10));
        table.publish("a", Map.of(SERVICE, 120L), clock.millis());
        table.publish("b", Map.of(SERVICE, 1_000L), clock.millis());
        Map<String, UsageSample> withB = sampler.sample();
        // instance b stops; its row ages past a day
        table.publish("b", Map.of(SERVICE, 1_000L), clock.millis() - Duration.ofDays(2).toMillis());

        clock.advance(Duration.ofSeconds(10));
        table.publish("a", Map.of(SERVICE, 130L), clock.millis());
        Map<String, UsageSample> pruned = sampler.sample();
        clock.advance(Duration.ofSeconds(10));
        table.publish("a", Map.of(SERVICE, 150L), clock.millis());
        Map<String, UsageSample> after = sampler.sample();

        assertThat(withB.get(SERVICE).rate()).isEqualTo(102);
        assertThat(table.sums()).containsEntry(SERVICE, 150L);
        assertThat(pruned.get(SERVICE).rate()).isNaN();
        assertThat(after.get(SERVICE).rate()).isEqualTo(2);
    }

    @StackTest
    void aSeriesWithoutRowsHasRateZeroAndARepeatedStepIsSkipped() throws Exception {
        sampler.sample();
        clock.advance(Duration.ofSeconds(5));
        assertThat(sampler.sample()).isEmpty();
        clock.advance(Duration.ofSeconds(5));

        assertThat(sampler.sample().get(COMMAND).rate()).isZero();
    }
}
