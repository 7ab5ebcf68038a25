package io.gamewire.pulls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Quartz keeps the pull schedules. {@code ram} (the embedded default): in memory, every
 * instance fires every pull. {@code jdbc} (the prod profile): Quartz's tables in gamewire's MySQL
 * database, clustered, so that of several instances exactly one fires each pull per schedule and
 * another takes over when it dies (cluster check-in every {@code checkinMs}).
 *
 * <p>The tables are made from the DDL Quartz ships for MySQL/InnoDB (or, on H2, for H2: its boolean
 * columns take what {@code StdJDBCDelegate} binds, where the MySQL DDL's {@code VARCHAR(1)} would
 * refuse H2's {@code FALSE}), when they are missing; nothing is ever dropped.
 */
public final class QuartzJobStore {

    private static final Logger LOG = LoggerFactory.getLogger(QuartzJobStore.class);
    /** Quartz's own DDL for MySQL with InnoDB, in the quartz jar. */
    static final String MYSQL_DDL = "org/quartz/impl/jdbcjobstore/tables_mysql_innodb.sql";
    /** Quartz's own DDL for H2, for the prod profile pointed at an H2 database (benchmarks, tests). */
    static final String H2_DDL = "org/quartz/impl/jdbcjobstore/tables_h2.sql";

    /** How long a write of the jdbc store waits for a connection from its pool. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    private QuartzJobStore() {
    }

    /**
     * The Quartz properties for the chosen store.
     *
     * @param store     {@code ram} or {@code jdbc}
     * @param threads   Quartz worker threads: pulls that may run at once on this instance
     */
    public static Properties properties(String store, int threads, String jdbcUrl, String user, String password,
                                        long checkinMs) {
        Properties quartz = new Properties();
        // the same scheduler name on every instance: it is the cluster's name in the tables
        quartz.setProperty("org.quartz.scheduler.instanceName", "gamewire-pulls");
        quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        quartz.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        switch (store) {
            case "ram" -> quartz.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
            case "jdbc" -> {
                quartz.setProperty("org.quartz.jobStore.class", JdbcJobStore.class.getName());
                quartz.setProperty("org.quartz.jobStore.driverDelegateClass",
                        "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
                quartz.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
                quartz.setProperty("org.quartz.jobStore.isClustered", "true");
                quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinMs));
                quartz.setProperty("org.quartz.jobStore.dataSource", "gamewire");
                quartz.setProperty("org.quartz.dataSource.gamewire.provider", "hikaricp");
                quartz.setProperty("org.quartz.dataSource.gamewire.driver", driverOf(jdbcUrl));
                quartz.setProperty("org.quartz.dataSource.gamewire.URL", jdbcUrl);
                quartz.setProperty("org.quartz.dataSource.gamewire.user", user);
                quartz.setProperty("org.quartz.dataSource.gamewire.password", password == null ? "" : password);
                quartz.setProperty("org.quartz.dataSource.gamewire.maxConnections", Integer.toString(threads + 2));
                // HikariCP's 30 s would bound how long a write waits for a connection to a lost
                // database, and so a stop (JdbcJobStore); Quartz hands the pool the extra property
                quartz.setProperty("org.quartz.dataSource.gamewire.connectionTimeout",
                        Long.toString(CONNECTION_TIMEOUT_MS));
            }
            default -> throw new IllegalArgumentException("gamewire.pulls.job-store is '" + store
                    + "'; it must be ram or jdbc");
        }
        return quartz;
    }

    /** The JDBC driver class for the URL: Quartz's pool wants it named. */
    private static String driverOf(String jdbcUrl) {
        try {
            return java.sql.DriverManager.getDriver(jdbcUrl).getClass().getName();
        } catch (SQLException e) {
            throw new IllegalArgumentException("no JDBC driver for gamewire.db.url "
                    + io.gamewire.sinks.sql.JdbcUrls.withoutSecrets(jdbcUrl), e);
        }
    }

    /** Makes Quartz's tables (MySQL/MariaDB, or H2) unless they exist; returns how many statements ran. */
    public static int createTables(DataSource dataSource) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            if (exists(connection, "QRTZ_LOCKS")) {
                return 0;
            }
            String ddl = "H2".equals(connection.getMetaData().getDatabaseProductName()) ? H2_DDL : MYSQL_DDL;
            List<String> statements = statements(ddl);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            LOG.info("Quartz job store: {} tables and indexes made from {}", statements.size(), ddl);
            return statements.size();
        }
    }

    /**
     * Whether {@code table} is in the connection's own database: on MySQL a catalog of null would
     * find it in any database on the server, so a second gamewire database there (staging beside
     * production, a test's scratch database) would never get its tables.
     */
    private static boolean exists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : List.of(table, table.toLowerCase(java.util.Locale.ROOT))) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The DDL's statements, without comments, DROPs and the closing COMMIT. */
    static List<String> statements(String resource) throws IOException {
        String ddl;
        try (InputStream in = QuartzJobStore.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the class path (quartz jar)");
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder code = new StringBuilder();
        for (String line : ddl.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("#") && !trimmed.startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String sql : code.toString().split(";")) {
            String statement = sql.trim();
            String upper = statement.toUpperCase(java.util.Locale.ROOT);
            if (!statement.isEmpty() && !upper.startsWith("DROP") && !upper.equals("COMMIT")) {
                statements.add(statement);
            }
        }
        return statements;
    }
}
