package io.gamewire.admin.data;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Runs one SELECT for {@code POST /v1/admin/sql}: checked by {@link ReadOnlySelect}, then run in a
 * read-only transaction that is always rolled back, with at most {@code limit} rows (capped by
 * {@code gamewire.console.sql-max-rows}) and a timeout ({@code gamewire.console.sql-timeout}).
 * MySQL/MariaDB enforce the transaction's read-only mode ({@code START TRANSACTION READ ONLY} after
 * {@link Connection#setReadOnly}); H2 has none ({@code setReadOnly} is a hint there), so on H2 the
 * check and the rollback are the guard.
 */
public final class SqlConsole {

    /** A query's result: column labels, rows of values, and whether more rows were left out. */
    public record Result(List<String> columns, List<List<Object>> rows, boolean truncated) {
    }

    private final DataSource dataSource;
    private final int maxRows;
    private final int timeoutSeconds;

    /**
     * @param maxRows        {@code gamewire.console.sql-max-rows}: the most rows any query answers
     * @param timeoutSeconds {@code gamewire.console.sql-timeout}: how long the database may run it
     */
    public SqlConsole(DataSource dataSource, int maxRows, int timeoutSeconds) {
        this.dataSource = dataSource;
        this.maxRows = maxRows;
        this.timeoutSeconds = timeoutSeconds;
    }

    public int maxRows() {
        return maxRows;
    }

    /**
     * Checks and runs {@code sql}, answering at most {@code limit} rows.
     *
     * @throws SqlRefusedException when the check refuses it or {@code limit} is out of range
     */
    public Result query(String sql, int limit) throws SQLException {
        if (limit < 1 || limit > maxRows) {
            throw new SqlRefusedException("limit must be 1 to " + maxRows + " (gamewire.console.sql-max-rows), is "
                    + limit);
        }
        try (Connection connection = dataSource.getConnection()) {
            ReadOnlySelect.check(sql, ownSchemas(connection));
            boolean autoCommit = connection.getAutoCommit();
            boolean mysql = !connection.getMetaData().getDatabaseProductName().toUpperCase(Locale.ROOT).contains("H2");
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                if (mysql) {
                    statement.execute("START TRANSACTION READ ONLY");
                }
                // one more than the limit tells whether rows were left out
                statement.setMaxRows(limit + 1);
                statement.setQueryTimeout(timeoutSeconds);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    return read(rows, limit);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
                connection.setReadOnly(false);
            }
        }
    }

    /** The connection's database (MySQL) and schema (H2): the only ones a query may name. */
    private static Set<String> ownSchemas(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        if (connection.getCatalog() != null && !connection.getCatalog().isEmpty()) {
            names.add(connection.getCatalog());
        }
        String schema = connection.getSchema();
        if (schema != null && !schema.isEmpty()) {
            names.add(schema);
        }
        return names;
    }

    private static Result read(ResultSet rows, int limit) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<String> columns = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        List<List<Object>> values = new ArrayList<>();
        boolean truncated = false;
        while (rows.next()) {
            if (values.size() == limit) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(jsonValue(rows.getObject(i)));
            }
            values.add(row);
        }
        return new Result(columns, values, truncated);
    }

    /** Numbers, strings and booleans as they are; bytes as base64; anything else as its text. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof java.sql.Clob clob) {
            try {
                return clob.getSubString(1, (int) Math.min(clob.length(), Integer.MAX_VALUE));
            } catch (SQLException e) {
                return "(unreadable CLOB: " + e.getMessage() + ")";
            }
        }
        if (value instanceof java.sql.Blob blob) {
            try {
                return Base64.getEncoder().encodeToString(blob.getBytes(1, (int) Math.min(blob.length(), Integer.MAX_VALUE)));
            } catch (SQLException e) {
                return "(unreadable BLOB: " + e.getMessage() + ")";
            }
        }
        return value.toString();
    }
}
