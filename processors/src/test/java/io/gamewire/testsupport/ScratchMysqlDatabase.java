package io.gamewire.testsupport;

import com.zaxxer.hikari.HikariDataSource;
import io.gamewire.sinks.sql.PooledDataSources;

/** A database of its own on the real MySQL/MariaDB server for one test, dropped by {@link #drop()}. */
public final class ScratchMysqlDatabase {

    private final String name = RealServices.uniqueName("gwtest_");

    /** Creates the database and opens a small pool on it. */
    public HikariDataSource open() {
        RealServices.createDatabase(name);
        return PooledDataSources.create(RealServices.mysqlUrl(name), RealServices.MYSQL_USER,
                RealServices.MYSQL_PASSWORD, 2, 3000);
    }

    public void drop() {
        RealServices.dropDatabase(name);
    }
}
