package io.gamewire.sinks.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;

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
        if (leavesLoginTimeoutAlone(jdbcUrl)) {
            // connect through H2's own data source (HikariCP then uses it rather than the URL): for a
            // URL, HikariCP sets DriverManager's login timeout, which is JVM-wide, H2 ignores, and the
            // embedded broker's store reads as it opens
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(jdbcUrl);
            config.setDataSource(h2);
        }
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(timeoutMillis);
        config.setValidationTimeout(Math.min(timeoutMillis, 5000));
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    /**
     * Whether a pool for {@code jdbcUrl} leaves {@code DriverManager}'s login timeout, a JVM-wide
     * setting, as it is: for H2, yes; for other drivers HikariCP sets it to the pool's timeout.
     */
    public static boolean leavesLoginTimeoutAlone(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:");
    }
}
