package io.gamewire.sinks.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Connection pools for gamewire's database, the same settings on H2 and MySQL/MariaDB. */
public final class PooledDataSources {

    private PooledDataSources() {
    }

    /**
     * A pool for {@code jdbcUrl}.
     *
     * @param maxConnections  pool size
     * @param timeoutMillis   how long a caller waits for a connection before the database counts as
     *                        unreachable; short, so that health checks and HTTP answers do not hang
     */
    public static HikariDataSource create(String jdbcUrl, String user, String password, int maxConnections,
                                          long timeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gamewire-db");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.min(timeoutMillis, 5000));
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }
}
