package io.gamewire.pulls;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.ScratchMysqlDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Quartz's tables made on MySQL/MariaDB once, and left alone afterwards. */
@Tag("services")
class MysqlQuartzJobStoreTest {

    @Test
    void tablesAreMadeOnceAndNeverDropped() throws Exception {
        ScratchMysqlDatabase database = new ScratchMysqlDatabase();
        try (HikariDataSource dataSource = database.open()) {
            assertThat(QuartzJobStore.createTables(dataSource)).isGreaterThan(10);
            try (Connection connection = dataSource.getConnection()) {
                connection.createStatement().execute(
                        "INSERT INTO QRTZ_LOCKS (SCHED_NAME, LOCK_NAME) VALUES ('gamewire-pulls', 'TRIGGER_ACCESS')");
            }

            assertThat(QuartzJobStore.createTables(dataSource)).isZero();
            try (Connection connection = dataSource.getConnection();
                 ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM QRTZ_LOCKS")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        } finally {
            database.drop();
        }
    }

    @Test
    void anotherDatabaseOnTheServerWithTheTablesDoesNotStopThemBeingMadeInThisOne() throws Exception {
        ScratchMysqlDatabase other = new ScratchMysqlDatabase();
        ScratchMysqlDatabase ours = new ScratchMysqlDatabase();
        try (HikariDataSource otherSource = other.open(); HikariDataSource ourSource = ours.open()) {
            assertThat(QuartzJobStore.createTables(otherSource)).isGreaterThan(10);

            assertThat(QuartzJobStore.createTables(ourSource)).isGreaterThan(10);
            try (Connection connection = ourSource.getConnection();
                 ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM QRTZ_LOCKS")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        } finally {
            ours.drop();
            other.drop();
        }
    }
}
