package io.gamewire.sinks.sql;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

class H2RowUpserterTest extends RowUpserterContract {

    @TempDir
    Path dir;

    @Override
    protected HikariDataSource openDatabase() {
        return PooledDataSources.create("jdbc:h2:file:" + dir.resolve("db-" + UUID.randomUUID())
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE", "sa", "", 2, 2000);
    }
}
