package io.gamewire.sinks.sql;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2SqlEventStoreTest extends SqlEventStoreContract {

    @TempDir
    Path dir;

    @Override
    protected HikariDataSource openDatabase() {
        return PooledDataSources.create("jdbc:h2:file:" + dir.resolve("db-" + UUID.randomUUID())
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE", "sa", "", 2, 2000);
    }

    @Test
    void probeFailsOnceThePoolIsClosed() {
        dataSource.close();

        assertThatThrownBy(() -> new DatabaseProbe(dataSource, 1).check()).isInstanceOf(SQLException.class);
    }
}
