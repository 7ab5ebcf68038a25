package io.gamewire.admin.data;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * A console query the database would not run or cancelled: a mistake in it (answered as a 400 with
 * the database's message) or {@code gamewire.console.sql-timeout} running out ({@link #timedOut()},
 * a 504). Neither is gamewire's fault, so neither is a 500.
 */
public final class SqlFailedException extends RuntimeException {

    /** MySQL/MariaDB: query interrupted (the driver's KILL QUERY on timeout), MySQL's and MariaDB's own time limits. */
    private static final Set<Integer> MYSQL_TIMEOUT_CODES = Set.of(1317, 3024, 1969);
    /** H2 (and the SQL standard): the statement was cancelled. */
    private static final String CANCELLED = "57014";

    private final boolean timedOut;

    private SqlFailedException(boolean timedOut, String message, SQLException cause) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /** What {@code failure} of a query that may run {@code timeoutSeconds} means. */
    static SqlFailedException of(SQLException failure, int timeoutSeconds) {
        String said = failure.getMessage() == null ? failure.getClass().getSimpleName()
                // H2 ends the first line with "; SQL statement:" before the text the operator sent
                : failure.getMessage().lines().findFirst().orElse("").replaceFirst(";\\s*SQL statement:$", "").strip();
        if (timedOut(failure)) {
            return new SqlFailedException(true, "the query ran longer than gamewire.console.sql-timeout ("
                    + timeoutSeconds + " s) and was cancelled: " + said, failure);
        }
        return new SqlFailedException(false, "the database refused the query: " + said, failure);
    }

    static boolean timedOut(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTimeoutException) {
                return true;
            }
        }
        return CANCELLED.equals(failure.getSQLState()) || MYSQL_TIMEOUT_CODES.contains(failure.getErrorCode());
    }

    /** Whether the time limit ran out, rather than the query being wrong. */
    public boolean timedOut() {
        return timedOut;
    }
}
