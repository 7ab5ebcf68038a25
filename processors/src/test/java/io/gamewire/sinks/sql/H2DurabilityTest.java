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
