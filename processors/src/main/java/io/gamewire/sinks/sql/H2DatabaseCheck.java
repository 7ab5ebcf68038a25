package io.gamewire.sinks.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStoreException;

/**
 * Tells whether the embedded H2 database broke: after a write fails (a full disk), its MVStore
 * refuses every write, and H2 soon closes the database, after which every statement on the pool's
 * connections answers {@value #DATABASE_IS_CLOSED} ("The database has been closed") until the
 * process restarts. Other
 * errors (a busy pool, a slow query) are not a broken store and are left to the {@code database}
 * health check.
 */
public final class H2DatabaseCheck {

    /** H2's {@code ErrorCode.DATABASE_IS_CLOSED}. */
    static final int DATABASE_IS_CLOSED = 90098;

    private final DataSource dataSource;
    private final String url;

    public H2DatabaseCheck(DataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    /**
     * Whether {@code url} names an H2 database in a file of this process (a broken one stays broken
     * until a restart): any {@code jdbc:h2:} URL but in memory ({@code mem:}) or on a server
     * ({@code tcp:}, {@code ssl:}), or read-only in a zip ({@code zip:}).
     */
    public static boolean isH2File(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = lower.substring("jdbc:h2:".length());
        return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:"));
    }

    /** Null while the database works; else what broke it (asked by the stack's {@code StoreFailureWatch}). */
    public String brokenBy() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String panic = panic(connection);
            if (panic != null) {
                return "the embedded H2 database " + url + " failed a write, and is closed to writes: " + panic;
            }
            statement.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && sql.getErrorCode() == DATABASE_IS_CLOSED) {
                    return "the embedded H2 database " + url + " closed itself after a failed write: " + sql.getMessage();
                }
            }
            return null;
        }
    }

    /**
     * The error of the failed write that broke the database's MVStore, or null. A read (such as
     * {@code SELECT 1}) still works then, and H2 closes the database only later, so this asks the
     * store itself, through H2's engine: the database is embedded, in this process.
     */
    private static String panic(Connection connection) throws SQLException {
        if (connection.isWrapperFor(JdbcConnection.class)
                && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
                && session.getDatabase().getStore() != null) {
            MVStoreException panic = session.getDatabase().getStore().getMvStore().getPanicException();
            return panic == null ? null : panic.getMessage();
        }
        return null;
    }
}
