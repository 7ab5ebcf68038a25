package io.gamewire.capacity.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.capacity.archive.UsageArchive.Consolidation;
import io.gamewire.capacity.archive.UsageArchive.Resolution;
import io.gamewire.sinks.sql.SchemaMigrator;
import io.gamewire.testsupport.StackTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The usage archives in SQL, on H2 (embedded) and MySQL/MariaDB ({@code -Pservices}). */
class SqlRrdBackendFactoryTest {

    static final long HOUR = RrdUsageArchiveTest.HOUR;
    static final String SERVICE = RrdUsageArchiveTest.SERVICE;

    @BeforeEach
    void migrate(HikariDataSource dataSource) {
        SchemaMigrator.migrate(dataSource);
    }

    @StackTest
    void samplesSurviveCloseAndAreReadByAnotherInstance(HikariDataSource dataSource) throws Exception {
        try (RrdUsageArchive writer = RrdUsageArchive.sql(dataSource)) {
            for (int i = 1; i <= 6; i++) {
                writer.update(HOUR + i * 10L, Map.of(SERVICE, new UsageSample(i, 2)));
            }
        }

        try (RrdUsageArchive reader = RrdUsageArchive.sql(dataSource)) {
            assertThat(reader.series()).containsExactly(SERVICE);
            assertThat(reader.lastUpdate(SERVICE)).isEqualTo(HOUR + 60);
            assertThat(reader.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, HOUR + 10, HOUR + 60)
                    .rates()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(reader.fetch(SERVICE, Resolution.ONE_MINUTE, Consolidation.MAX, HOUR + 60, HOUR + 60).rates())
                    .containsExactly(6);
        }
    }

    @StackTest
    void aHandleKeptOpenSeesWhatAnotherInstanceWroteSince(HikariDataSource dataSource) throws Exception {
        try (RrdUsageArchive first = RrdUsageArchive.sql(dataSource);
             RrdUsageArchive second = RrdUsageArchive.sql(dataSource)) {
            first.update(HOUR + 10, Map.of(SERVICE, new UsageSample(1, 1)));
            assertThat(second.lastUpdate(SERVICE)).isEqualTo(HOUR + 10);

            // the sampler moved to the second instance, then back
            second.update(HOUR + 20, Map.of(SERVICE, new UsageSample(2, 1)));
            first.update(HOUR + 30, Map.of(SERVICE, new UsageSample(3, 1)));

            assertThat(second.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.AVERAGE, HOUR + 10, HOUR + 30)
                    .rates()).containsExactly(1, 2, 3);
        }
    }

    @StackTest
    void aReadingInstanceNeverWritesItsCopyBack(HikariDataSource dataSource) throws Exception {
        try (RrdUsageArchive writer = RrdUsageArchive.sql(dataSource)) {
            writer.update(HOUR + 10, Map.of(SERVICE, new UsageSample(1, 1)));
            RrdUsageArchive reader = RrdUsageArchive.sql(dataSource);
            assertThat(reader.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.MAX, HOUR + 10, HOUR + 10).rates())
                    .containsExactly(1);
            writer.update(HOUR + 20, Map.of(SERVICE, new UsageSample(2, 1)));
            long stored = version(dataSource);

            reader.close();

            assertThat(version(dataSource)).isEqualTo(stored);
            assertThat(writer.lastUpdate(SERVICE)).isEqualTo(HOUR + 20);
            try (RrdUsageArchive later = RrdUsageArchive.sql(dataSource)) {
                assertThat(later.fetch(SERVICE, Resolution.TEN_SECONDS, Consolidation.MAX, HOUR + 10, HOUR + 20).rates())
                        .containsExactly(1, 2);
            }
        }
    }

    private static long version(HikariDataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT version FROM capacity_archives")) {
            row.next();
            return row.getLong(1);
        }
    }

    @StackTest
    void aSampleWritesBackOnlyThePagesItChanged(HikariDataSource dataSource) throws Exception {
        try (RrdUsageArchive archive = RrdUsageArchive.sql(dataSource)) {
            archive.update(HOUR + 10, Map.of(SERVICE, new UsageSample(1, 1)));
            int size = count(dataSource, "SELECT size_bytes FROM capacity_archives");
            assertThat(count(dataSource, "SELECT COUNT(*) FROM capacity_archive_pages"))
                    .isEqualTo((size + SqlRrdBackendFactory.PAGE_BYTES - 1) / SqlRrdBackendFactory.PAGE_BYTES);
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE capacity_archive_pages SET page_no = -page_no - 1");
            }

            archive.update(HOUR + 20, Map.of(SERVICE, new UsageSample(2, 1)));

            int written = count(dataSource, "SELECT COUNT(*) FROM capacity_archive_pages WHERE page_no >= 0");
            assertThat(written).isBetween(1, 20);
        }
    }

    private static int count(HikariDataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }
}
