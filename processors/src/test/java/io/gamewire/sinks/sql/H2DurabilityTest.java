package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2DurabilityTest {

    @TempDir
    Path folder;

    /**
     * H2 sets the delay from the URL (500 by default) each time it opens the database, which it
     * does again after its last connection has closed: so every connection of the pool sets it.
     */
    @Test
    void everyConnectionOfThePoolWritesCommitsAtOnceAlsoAfterTheDatabaseWasReopened() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("db/durable") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        try (HikariDataSource plain = PooledDataSources.create(url, "sa", "", 2, 3000)) {
            assertThat(writeDelay(plain)).as("H2's default").isEqualTo(500);
        }
        for (int open = 1; open <= 2; open++) { // each pool closed at the end: H2 closes the database
            try (HikariDataSource pool = PooledDataSources.create(url, "sa", "", 2, 3000,
                    H2Durability.connectionInitSql(url))) {
                assertThat(writeDelay(pool)).as("opening %d", open).isZero();
            }
        }
    }

    /**
     * Java closes a {@code FileChannel} when the thread writing to it is interrupted, and H2 then
     * closes the whole database, which gamewire takes for a store broken for good (exit 74). Quartz
     * interrupts its scheduler thread at every shutdown, and that thread may be committing the
     * release of a trigger it took (seen in 2 of 3 stops of a benchmark run, 2026-12-07). The shipped
     * URL opens the file through H2's {@code retry:} file system, which reopens it.
     */
    @Test
    void aCommitByAnInterruptedThreadIsKeptAndTheDatabaseStaysOpen() throws Exception {
        String url = "jdbc:h2:retry:file:" + folder.resolve("db/interrupted") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        try (HikariDataSource pool = PooledDataSources.create(url, "sa", "", 2, 3000,
                H2Durability.connectionInitSql(url))) {
            try (Connection connection = pool.getConnection(); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
                Thread.currentThread().interrupt();
                try {
                    statement.execute("INSERT INTO kept VALUES (1)");
                } finally {
                    Thread.interrupted();
                }
                statement.execute("INSERT INTO kept VALUES (2)");
            }
            assertThat(new H2DatabaseCheck(pool, url).brokenBy()).isNull();
            try (Connection connection = pool.getConnection(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT COUNT(*) FROM kept")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void theShippedDatabaseUrlOpensItsFileThroughTheRetryFileSystem() throws Exception {
        java.util.Properties defaults = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(Path.of("../config/application.properties"))) {
            defaults.load(in);
        }
        assertThat(defaults.getProperty("gamewire.db.url")).startsWith("jdbc:h2:retry:file:");
        assertThat(H2DatabaseCheck.isH2File(defaults.getProperty("gamewire.db.url"))).isTrue();
    }

    @Test
    void onlyH2FileDatabasesGetIt() {
        assertThat(H2Durability.connectionInitSql("jdbc:h2:file:./data/db/gamewire;MODE=MySQL"))
                .isEqualTo("SET WRITE_DELAY 0");
        assertThat(H2Durability.connectionInitSql("jdbc:h2:~/gamewire")).isEqualTo("SET WRITE_DELAY 0");
        assertThat(H2Durability.connectionInitSql("jdbc:h2:mem:x")).isNull();
        assertThat(H2Durability.connectionInitSql("jdbc:h2:tcp://db:9092/gamewire")).isNull();
        assertThat(H2Durability.connectionInitSql("jdbc:mysql://127.0.0.1:3306/gamewire")).isNull();
    }

    /** The delay in force: the database's own setting, as {@code SET WRITE_DELAY} changes it. */
    private static int writeDelay(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection()) {
            var session = (org.h2.engine.SessionLocal) connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
            return session.getDatabase().getWriteDelay();
        }
    }
}
