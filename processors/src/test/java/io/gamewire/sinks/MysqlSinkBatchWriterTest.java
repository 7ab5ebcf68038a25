package io.gamewire.sinks;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.ScratchMysqlDatabase;
import org.junit.jupiter.api.Tag;

@Tag("services")
class MysqlSinkBatchWriterTest extends SinkBatchWriterContract {

    private final ScratchMysqlDatabase database = new ScratchMysqlDatabase();

    @Override
    protected HikariDataSource openDatabase() {
        return database.open();
    }

    @Override
    protected void dropDatabase() {
        database.drop();
    }
}
