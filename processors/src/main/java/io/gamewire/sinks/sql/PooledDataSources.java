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
        return create(jdbcUrl, user, password, maxConnections, timeoutMillis, null);
    }

    /** As {@link #create(String, String, String, int, long)}, each connection running {@code initSql} (null: none) first. */
    public static HikariDataSource create(String jdbcUrl, String user, String password, int maxConnections,
                                          long timeoutMillis, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setConnectionInitSql(initSql);
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
        statementCache(jdbcUrl).forEach(config::addDataSourceProperty);
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
     * For MySQL Connector/J URLs ({@code jdbc:mysql:}, also for MariaDB servers), its cache of
     * parsed client-side statements, per connection (HikariCP's advice for MySQL), unless the URL's
     * query names these options itself (in any case, as Connector/J reads them): without it every
     * batch parses its statement anew, and the {@code events} statement of a full batch has 1,300
     * parameters ({@link SqlEventStore}). With it an {@code events} row costs about half the client
     * CPU (bench/README.md, "A warm drain"). Empty for other drivers.
     */
    static java.util.Map<String, String> statementCache(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:mysql:") && !jdbcUrl.startsWith("jdbc:mysql+srv:")) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("cachePrepStmts", "true");
        // SqlEventStore uses at most eight shapes of its statement, RowUpserter one per table
        properties.put("prepStmtCacheSize", "250");
        // the events statement of a full batch is about 4,300 characters; Connector/J's default
        // limit, 256, would leave it out of the cache
        properties.put("prepStmtCacheSqlLimit", "8192");
        String query = jdbcUrl.contains("?") ? jdbcUrl.substring(jdbcUrl.indexOf('?') + 1) : "";
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            properties.keySet().removeIf(option -> option.equalsIgnoreCase(name));
        }
        return properties;
    }

    /**
     * Whether a pool for {@code jdbcUrl} leaves {@code DriverManager}'s login timeout, a JVM-wide
     * setting, as it is: for H2, yes; for other drivers HikariCP sets it to the pool's timeout.
     */
    public static boolean leavesLoginTimeoutAlone(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:");
    }
}
