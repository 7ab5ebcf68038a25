package io.gamewire.sinks.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Makes an H2 file database write each commit to its file before the commit returns.
 *
 * <p>H2 keeps committed changes in memory for up to {@code WRITE_DELAY} (500 ms by default) and
 * writes them in the background. The sinks acknowledge a batch to the broker once its commit
 * returns, so a commit still in memory when the process dies, or when the disk is full and the
 * background write fails, is an acknowledged event lost: a full disk lost 302 that way in the
 * fault suite (docs/RELIABILITY.md). With a delay of 0 the commit itself writes, and a write that
 * fails fails the commit, so the batch is not acknowledged and comes back after a restart.
 *
 * <p>Set with {@code SET WRITE_DELAY}, which H2 keeps in the database, rather than in the URL:
 * the SQL console connects with the same URL as a user without admin rights, which may not
 * change settings.
 */
public final class H2Durability {

    private H2Durability() {
    }

    /** Sets the database's write delay to 0; needs an admin user (gamewire's own). */
    public static void commitsReachTheFile(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        }
    }
}
