package io.gamewire.titles;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.sinks.sql.PooledDataSources;
import io.gamewire.testsupport.RealServices;
import org.junit.jupiter.api.Tag;

@Tag("services")
class MysqlTitleTablesTest extends TitleTablesContract {

    private String database;

    @Override
    protected HikariDataSource openDatabase() {
        database = RealServices.uniqueName("gwtest_");
        RealServices.createDatabase(database);
        return PooledDataSources.create(RealServices.mysqlUrl(database), RealServices.MYSQL_USER,
                RealServices.MYSQL_PASSWORD, 2, 3000);
    }

    @Override
    protected void dropDatabase() {
        RealServices.dropDatabase(database);
    }
}
