package io.gamewire.sinks;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.sinks.sql.PooledDataSources;
import java.util.UUID;

class H2SinkBatchWriterTest extends SinkBatchWriterContract {

    @Override
    protected HikariDataSource openDatabase() {
        return PooledDataSources.create("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE",
                "sa", "", 2, 2000);
    }
}
