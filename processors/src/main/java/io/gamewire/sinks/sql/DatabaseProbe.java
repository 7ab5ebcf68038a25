package io.gamewire.sinks.sql;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Tells whether the database answers, for the health check. */
public final class DatabaseProbe {

    private final DataSource dataSource;
    private final int timeoutSeconds;

    public DatabaseProbe(DataSource dataSource, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Borrows a connection and validates it with the driver's own check.
     *
     * @throws SQLException when no valid connection can be had within the timeout
     */
    public void check() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(timeoutSeconds)) {
                // The pool skips its own check for connections used within the last half second,
                // so a frequently polled health check would be handed the same dead connection
                // again and again: take it out of the pool.
                if (dataSource instanceof HikariDataSource pool) {
                    pool.evictConnection(connection);
                }
                throw new SQLException("database connection did not validate within " + timeoutSeconds + " s");
            }
        }
    }
}
