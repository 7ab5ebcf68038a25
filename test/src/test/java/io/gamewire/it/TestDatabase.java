package io.gamewire.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** gamewire's database as a test reads it: past any proxy ({@link ProxiedDatabase}), or through gamewire's own pool. */
@FunctionalInterface
interface TestDatabase {

    /** A connection; the caller closes it. */
    Connection connect() throws SQLException;

    /** The number the query counts. */
    default long count(String sql) throws SQLException {
        return counts(sql)[0];
    }

    /** The numbers in the query's one row, read in one statement. */
    default long[] counts(String sql) throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            long[] values = new long[row.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getLong(i + 1);
            }
            return values;
        }
    }

    /** MariaDB's database of {@code gw} (the real services), read directly. */
    static TestDatabase direct(GamewireUnderTest gw) {
        return () -> java.sql.DriverManager.getConnection(io.gamewire.testsupport.RealServices.mysqlUrl(gw.database()),
                io.gamewire.testsupport.RealServices.MYSQL_USER, io.gamewire.testsupport.RealServices.MYSQL_PASSWORD);
    }

    /** The database of the gamewire running in the test's JVM, through its own connection pool. */
    static TestDatabase of(GamewireUnderTest gw) {
        return () -> gw.bean("dataSource", javax.sql.DataSource.class).getConnection();
    }
}
