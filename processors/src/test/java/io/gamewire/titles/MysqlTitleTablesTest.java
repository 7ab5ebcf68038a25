package io.gamewire.titles;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.testsupport.ScratchMysqlDatabase;
import org.junit.jupiter.api.Tag;

@Tag("services")
class MysqlTitleTablesTest extends TitleTablesContract {

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
