package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.ScratchMysqlDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A pool on MySQL/MariaDB hands out connections that cache parsed statements ({@link PooledDataSources}). */
@Tag("services")
class MysqlStatementCacheTest {

    @Test
    void theEventsStatementOfAFullBatchIsCachedOnEachConnection() throws Exception {
        ScratchMysqlDatabase database = new ScratchMysqlDatabase();
        try (HikariDataSource pool = database.open(); Connection connection = pool.getConnection()) {
            var properties = connection.unwrap(JdbcConnection.class).getPropertySet();
            assertThat(properties.getBooleanProperty(PropertyKey.cachePrepStmts).getValue()).isTrue();
            assertThat(properties.getIntegerProperty(PropertyKey.prepStmtCacheSqlLimit).getValue())
                    .isGreaterThanOrEqualTo(SqlEventStore.insertStatement(SqlEventStore.MAX_ROWS).length());
        } finally {
            database.drop();
        }
    }
}
