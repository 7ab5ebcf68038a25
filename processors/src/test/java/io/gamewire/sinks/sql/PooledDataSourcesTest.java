package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool leaves DriverManager's JVM-wide login timeout alone on H2 (the embedded broker's store reads it). */
class PooledDataSourcesTest {

    private final int before = DriverManager.getLoginTimeout();

    @AfterEach
    void restore() {
        DriverManager.setLoginTimeout(before);
    }

    @Test
    void anH2PoolConnectsAndLeavesTheLoginTimeoutAsItWas() throws Exception {
        DriverManager.setLoginTimeout(0);
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL";
        try (HikariDataSource pool = PooledDataSources.create(url, "sa", "", 2, 3000);
             Connection connection = pool.getConnection()) {
            assertThat(connection.createStatement().executeQuery("SELECT 1").next()).isTrue();
            assertThat(DriverManager.getLoginTimeout()).isZero();
            assertThat(pool.getJdbcUrl()).isEqualTo(url);
            assertThat(connection.getMetaData().getUserName()).isEqualToIgnoringCase("sa");
        }
    }

    @Test
    void aMysqlPoolCachesParsedStatementsUnlessTheUrlSaysOtherwise() {
        assertThat(PooledDataSources.statementCache("jdbc:mysql://127.0.0.1:3306/gamewire?useSSL=false"))
                .containsEntry("cachePrepStmts", "true").containsEntry("prepStmtCacheSize", "250")
                .containsEntry("prepStmtCacheSqlLimit", "8192");
        assertThat(PooledDataSources.statementCache("jdbc:mysql://db/gamewire?cacheprepstmts=false&prepStmtCacheSize=10"))
                .containsOnlyKeys("prepStmtCacheSqlLimit");
        assertThat(PooledDataSources.statementCache("jdbc:h2:mem:x;MODE=MySQL")).isEmpty();
    }

    @Test
    void onlyH2LeavesItAlone() {
        assertThat(PooledDataSources.leavesLoginTimeoutAlone("jdbc:h2:file:./data/db/gamewire")).isTrue();
        assertThat(PooledDataSources.leavesLoginTimeoutAlone("jdbc:mysql://127.0.0.1:3306/gamewire")).isFalse();
    }
}
