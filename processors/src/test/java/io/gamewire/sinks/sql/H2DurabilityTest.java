package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2DurabilityTest {

    @TempDir
    Path folder;

    /** gamewire sets it at every start (StorageConfiguration), so the setting in force is checked, not a reopen. */
    @Test
    void theWriteDelayBecomesZero() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("db/durable") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        try (HikariDataSource pool = PooledDataSources.create(url, "sa", "", 2, 3000)) {
            assertThat(writeDelayZero(pool)).as("H2's default is 500 ms").isFalse();
            H2Durability.commitsReachTheFile(pool);
            assertThat(writeDelayZero(pool)).isTrue();
        }
    }

    private static boolean writeDelayZero(HikariDataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'WRITE_DELAY' AND SETTING_VALUE = '0'")) {
            row.next();
            return row.getInt(1) > 0;
        }
    }
}
